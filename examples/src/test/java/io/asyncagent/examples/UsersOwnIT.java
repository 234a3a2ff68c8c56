package io.asyncagent.examples;

// tag::users-test[]
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.Event;
import io.asyncagent.Ordering;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * An integration test of your own agent, as you would write it with agent-testkit: a real Kafka broker in the test
 * JVM, your agent pointed at it, records in, and assertions on what your sink did.
 */
@WithEmbeddedKafka  // one real broker for this class, started when a test first asks for it, stopped after the last
class UsersOwnIT {

  /**
   * Your sink. In your project it lives in your main code and your agent factory takes it; here it is a few lines so
   * the test stands alone. It keeps the latest event of every key, as a cache warmed from a topic would.
   */
  static final class LatestByKey implements BackendSink {
    final Map<String, String> latest = new ConcurrentHashMap<>();
    final AtomicInteger writes = new AtomicInteger();

    @Override
    public CompletionStage<Void> deliver(Event event) {
      latest.put(event.keyAsString().orElse(""), event.bodyAsString());
      writes.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    }
  }

  @Test
  void keepsTheLatestEventOfEveryKey(EmbeddedKafka kafka) {
    // The broker is shared by the tests of this class: a topic and a group of its own keep this test's records
    // and offsets apart from theirs.
    String topic = EmbeddedKafka.uniqueTopic("prices");
    String group = EmbeddedKafka.uniqueGroup("prices-cache");
    kafka.createTopic(topic, 3);
    // 300 records numbered 0 to 299, their keys key-0 to key-9 in turn: key-7's last one is number 297.
    NumberedRecords prices = NumberedRecords.forTopic(topic).count(300).distinctKeys(10);
    LatestByKey cache = new LatestByKey();

    // The agent as your application builds it, only pointed at the embedded broker.
    try (AsyncAgent agent = AsyncAgent.builder()
        .name("prices-cache")
        .topics(topic)
        .workers(8)
        .ordering(Ordering.KEY)  // eight at once, but each key's events one at a time, in order: the last one wins
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.of(group))
            .build())
        .sink(cache)
        .build()) {
      // start() returns once the agent consumes, so every record produced after it is delivered; a new group
      // starts at the end of the topic, as KrakenD's does.
      agent.start();
      kafka.produce(prices.records());
      // Wait for the effect, never for a fixed time: the wait ends as soon as the last write is in, and a failure
      // says what was missing.
      Await.until(Duration.ofSeconds(30), () -> cache.writes.get() >= 300, () -> "300 writes, got " + cache.writes);
    }  // close(): stops reading, lets deliveries in flight finish, commits, leaves the group

    // Exact counts: one write per record, so none was lost and none delivered twice.
    assertThat(cache.writes).hasValue(300);
    // Each key holds its last record, 290 to 299: per-key order held with eight deliveries at once.
    Map<String, String> lastOfEachKey = IntStream.range(290, 300).boxed().collect(Collectors.toMap(
        number -> prices.keyFor(number).orElseThrow(), number -> NumberedRecords.valueOf(topic, number)));
    assertThat(cache.latest).isEqualTo(lastOfEachKey);
    // Every offset committed: a restart of the application would not deliver these again.
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
  }
}
// end::users-test[]
