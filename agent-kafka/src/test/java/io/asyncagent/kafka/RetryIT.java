package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.FailurePolicy;
import io.asyncagent.Ordering;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link FailurePolicy#retry()} against a real broker and a real HTTP backend that fails some attempts. */
@WithEmbeddedKafka
class RetryIT {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final int RECORDS = 1_000;
  private static final int KEYS = 20;

  @Test
  void aBackendAnswering503ToTheFirst3AttemptsOfEvery10thRecordGetsEveryRecordAndPerKeyOrderIsKept(
      EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("retry");
    String group = EmbeddedKafka.uniqueGroup("retry");
    kafka.createTopic(topic, 3);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(RECORDS).distinctKeys(KEYS);
    Map<String, Integer> attempts = new ConcurrentHashMap<>();
    List<String> answered200 = Collections.synchronizedList(new ArrayList<>());
    Function<RecordedRequest, Integer> responder = request -> {
      String body = request.bodyAsString();
      int attempt = attempts.merge(body, 1, Integer::sum);
      if (NumberedRecords.numberOf(body) % 10 == 0 && attempt <= 3) {
        return 503;
      }
      answered200.add(body); // before the answer is sent, so before the next request of the key can arrive
      return 200;
    };

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder().responder(responder).start()) {
      HttpBackend http = HttpBackend.builder().host(backend.uri().toString()).urlPattern("/events").build();
      try (AsyncAgent agent = TestAgents.agent(kafka, group, group, http, topic)
          .ordering(Ordering.KEY)
          .onFailure(FailurePolicy.retry().maxAttempts(5).backoff(Duration.ofMillis(10), Duration.ofMillis(100))
              .build())
          .build()) {
        agent.start();
        kafka.produce(batch.records());
        Await.until(WAIT, () -> answered200.size() >= RECORDS, () -> RECORDS + " records answered 200, got "
            + answered200.size());
      }

      // 900 records once, 100 records 4 times (3 × 503, then 200).
      assertThat(backend.requests()).hasSize(900 + 100 * 4);
    }

    Map<String, Long> okPerBody = answered200.stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(okPerBody.keySet()).isEqualTo(batch.values());
    assertThat(okPerBody).as("200 answers per record").allSatisfy((body, count) -> assertThat(count)
        .as("200 answers to %s", body).isEqualTo(1L));
    assertThat(attempts.keySet()).isEqualTo(batch.values());
    assertThat(attempts).as("requests per record").allSatisfy((body, count) -> assertThat(count)
        .as("requests of %s", body).isEqualTo(NumberedRecords.numberOf(body) % 10 == 0 ? 4 : 1));

    Map<Integer, List<Integer>> okOrderByKey = new ConcurrentHashMap<>();
    synchronized (answered200) {
      for (String body : answered200) {
        int number = NumberedRecords.numberOf(body);
        okOrderByKey.computeIfAbsent(number % KEYS, any -> new ArrayList<>()).add(number);
      }
    }
    assertThat(okOrderByKey).hasSize(KEYS);
    okOrderByKey.forEach((key, numbers) -> assertThat(numbers)
        .as("record numbers of key-%d in the order they were answered 200", key)
        .hasSize(RECORDS / KEYS).isSorted());
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
  }
}
