package io.asyncagent.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.DeadLetterHeaders;
import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Records that break naive consumers — a sink that always throws on one, a null value, a header that is not text, a
 * value of several megabytes — are delivered or dead-lettered, and the records after them keep flowing.
 */
@WithEmbeddedKafka
class PoisonRecordsIT {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final int LARGE = 5 * 1024 * 1024;
  private static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
  private static final int NORMAL = 100;

  private static FailurePolicy.Builder retryThrice() {
    return FailurePolicy.retry().maxAttempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(10));
  }

  /** Creates a one-partition topic that accepts records of up to 8 MiB. */
  private static void createLargeRecordTopic(EmbeddedKafka kafka, String topic) {
    NewTopic large = new NewTopic(topic, 1, (short) 1)
        .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES)));
    try {
      kafka.admin().createTopics(List.of(large)).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating " + topic, e);
    }
  }

  /** Sends {@code records} in order with a producer that allows 8 MiB requests, and waits for every ack. */
  private static void produceLarge(EmbeddedKafka kafka, List<ProducerRecord<byte[], byte[]>> records) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> record : records) {
        acks.add(producer.send(record));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not produce " + records.size() + " records", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while producing", e);
    }
  }

  private static byte[] largeValue() {
    byte[] value = new byte[LARGE];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) ('a' + i % 26);
    }
    return value;
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(topic, null, key.getBytes(UTF_8), value);
  }

  private static List<ProducerRecord<byte[], byte[]>> normalRecords(String topic) {
    // Numbers 1..100 on keys key-0..key-9: the keys of the poison records come back after them.
    return NumberedRecords.forTopic(topic).startAt(1).count(NORMAL).distinctKeys(10).records();
  }

  @Test
  void aRecordTheSinkThrowsOnANullValueAndA5MbValueNeverStallTheRecordsAfterThem(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("poison");
    String group = EmbeddedKafka.uniqueGroup("poison");
    createLargeRecordTopic(kafka, topic);
    String thrownOn = NumberedRecords.valueOf(topic, 0);
    byte[] large = largeValue();
    Queue<Event> delivered = new ConcurrentLinkedQueue<>();
    Queue<Event> letters = new ConcurrentLinkedQueue<>();
    AtomicInteger attempts = new AtomicInteger();
    BackendSink sink = event -> {
      if (event.bodySize() == thrownOn.length() && event.bodyAsString().equals(thrownOn)) {
        attempts.incrementAndGet();
        throw new IllegalStateException("cannot handle " + thrownOn);
      }
      delivered.add(event);
      return CompletableFuture.completedFuture(null);
    };
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    records.add(record(topic, "key-0", thrownOn.getBytes(UTF_8)));
    records.add(record(topic, "key-1", null));
    records.add(record(topic, "key-2", large));
    records.addAll(normalRecords(topic));

    try (AsyncAgent agent = TestAgents.agent(kafka, group, group, sink, topic)
        .ordering(Ordering.KEY)
        .onFailure(retryThrice().deadLetterTo(TestAgents.collectingInto(letters)).build())
        .build()) {
      agent.start();
      produceLarge(kafka, records);
      Await.until(WAIT, () -> delivered.size() >= 2 + NORMAL && letters.size() >= 1,
          () -> (2 + NORMAL) + " deliveries and 1 dead letter, got " + delivered.size() + " and " + letters.size());
    }

    assertThat(attempts.get()).as("attempts at the record the sink throws on").isEqualTo(3);
    assertThat(letters).hasSize(1);
    Event letter = letters.peek();
    assertThat(letter.bodyAsString()).isEqualTo(thrownOn);
    assertThat(letter.keyAsString()).contains("key-0");
    assertThat(letter.offset()).isZero();
    assertThat(letter.header(DeadLetterHeaders.TOPIC)).contains(topic);
    assertThat(letter.header(DeadLetterHeaders.PARTITION)).contains("0");
    assertThat(letter.header(DeadLetterHeaders.OFFSET)).contains("0");
    assertThat(letter.header(DeadLetterHeaders.ATTEMPTS)).contains("3");
    assertThat(letter.header(DeadLetterHeaders.EXCEPTION)).contains(IllegalStateException.class.getName());
    assertThat(letter.header(DeadLetterHeaders.ERROR)).contains("cannot handle " + thrownOn);
    assertThat(letter.header(DeadLetterHeaders.STATUS)).isEmpty();

    assertThat(delivered).hasSize(2 + NORMAL);
    Map<Long, List<Event>> byOffset = delivered.stream().collect(Collectors.groupingBy(Event::offset));
    assertThat(byOffset.keySet()).as("offsets delivered").hasSize(2 + NORMAL)
        .allSatisfy(offset -> assertThat(offset).isBetween(1L, 2L + NORMAL));
    Event nullValue = byOffset.get(1L).get(0);
    assertThat(nullValue.keyAsString()).contains("key-1");
    assertThat(nullValue.bodySize()).isZero();
    Event largeEvent = byOffset.get(2L).get(0);
    assertThat(largeEvent.keyAsString()).contains("key-2");
    assertThat(largeEvent.bodySize()).isEqualTo(LARGE);
    assertThat(Arrays.equals(largeEvent.body(), large)).as("the 5 MiB body arrived intact").isTrue();
    assertThat(delivered).filteredOn(event -> event.offset() > 2).extracting(Event::bodyAsString)
        .containsExactlyInAnyOrderElementsOf(NumberedRecords.forTopic(topic).startAt(1).count(NORMAL).values());
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic))
        .isEqualTo(Map.of(0, 3L + NORMAL));
  }

  @Test
  void aValueLargerThanMaxBufferedBytesIsAdmittedAloneAndDelivered(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("over-cap");
    String group = EmbeddedKafka.uniqueGroup("over-cap");
    createLargeRecordTopic(kafka, topic);
    byte[] large = largeValue();
    Queue<Event> delivered = new ConcurrentLinkedQueue<>();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(normalRecords(topic).subList(0, 10));
    records.add(record(topic, "key-large", large));
    records.addAll(normalRecords(topic).subList(10, NORMAL));

    try (AsyncAgent agent = TestAgents.agent(kafka, group, group, TestAgents.collectingInto(delivered), topic)
        .ordering(Ordering.KEY)
        .maxBufferedBytes(1024 * 1024)
        .build()) {
      agent.start();
      produceLarge(kafka, records);
      Await.until(WAIT, () -> delivered.size() >= 1 + NORMAL,
          () -> (1 + NORMAL) + " deliveries, got " + delivered.size());
    }

    assertThat(delivered).hasSize(1 + NORMAL);
    assertThat(delivered).filteredOn(event -> event.bodySize() == LARGE).singleElement()
        .satisfies(event -> assertThat(Arrays.equals(event.body(), large)).isTrue());
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic))
        .isEqualTo(Map.of(0, 1L + NORMAL));
  }

  @Test
  void aHeaderWhoseValueIsNotUtf8IsLeftOutOfTheRequestWhichCarriesTheOtherHeaders(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("binary-header");
    String group = EmbeddedKafka.uniqueGroup("binary-header");
    kafka.createTopic(topic, 1);
    String withBinaryHeader = NumberedRecords.valueOf(topic, 0);
    ProducerRecord<byte[], byte[]> binary = record(topic, "key-0", withBinaryHeader.getBytes(UTF_8));
    binary.headers().add(new RecordHeader("X-Before", "before".getBytes(UTF_8)));
    binary.headers().add(new RecordHeader("X-Binary", new byte[] {(byte) 0xFF, (byte) 0xFE}));
    binary.headers().add(new RecordHeader("X-After", "after".getBytes(UTF_8)));
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    records.add(binary);
    records.add(record(topic, "key-1", null));
    records.addAll(normalRecords(topic));

    try (RecordingHttpBackend backend = RecordingHttpBackend.start()) {
      HttpBackend http = HttpBackend.builder().host(backend.uri().toString()).urlPattern("/events").build();
      try (AsyncAgent agent = TestAgents.agent(kafka, group, group, http, topic)
          .ordering(Ordering.KEY)
          .onFailure(retryThrice().build())
          .build()) {
        agent.start();
        kafka.produce(records);
        backend.awaitRequests(2 + NORMAL, WAIT);
      }

      List<RecordedRequest> requests = backend.requests();
      assertThat(requests).hasSize(2 + NORMAL);
      assertThat(requests).filteredOn(request -> request.bodyAsString().equals(withBinaryHeader)).singleElement()
          .satisfies(request -> {
            assertThat(request.header("X-Before")).contains("before");
            assertThat(request.header("X-After")).contains("after");
            assertThat(request.header("Message-Id")).contains("key-0");
            assertThat(request.header("X-Binary")).isEmpty();
          });
      assertThat(requests).filteredOn(request -> request.body().length == 0).singleElement()
          .satisfies(request -> assertThat(request.header("Message-Id")).contains("key-1"));
      assertThat(requests).extracting(RecordedRequest::bodyAsString).filteredOn(body -> !body.isEmpty())
          .containsExactlyInAnyOrderElementsOf(concat(withBinaryHeader,
              NumberedRecords.forTopic(topic).startAt(1).count(NORMAL).values()));
    }
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic))
        .isEqualTo(Map.of(0, 2L + NORMAL));
  }

  @Test
  void aLargeRecordTheDeadLetterTopicCannotTakeIsDeadLetteredWithoutItsBodyAndDoesNotStall(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("large-dlq");
    String dlq = EmbeddedKafka.uniqueTopic("large-dlq-letters");
    String group = EmbeddedKafka.uniqueGroup("large-dlq");
    createLargeRecordTopic(kafka, topic);
    kafka.createTopic(dlq, 1); // the broker's default max.message.bytes: about 1 MiB
    Queue<String> delivered = new ConcurrentLinkedQueue<>();
    BackendSink refusingLarge = event -> {
      if (event.bodySize() == LARGE) {
        return CompletableFuture.failedFuture(new DeliveryException("HTTP 413", false, 413, null));
      }
      delivered.add(event.bodyAsString());
      return CompletableFuture.completedFuture(null);
    };
    Cluster cluster = Cluster.builder().brokers(kafka.bootstrapServers()).build();

    try (AsyncAgent agent = TestAgents.agent(kafka, group, group, refusingLarge, topic)
        .onFailure(retryThrice().deadLetterTo(KafkaDeadLetters.topic(dlq).cluster(cluster).build()).build())
        .build()) {
      agent.start();
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      records.add(record(topic, "key-0", largeValue()));
      records.addAll(normalRecords(topic));
      produceLarge(kafka, records);
      Await.until(WAIT, () -> kafka.committedOffsets(group, topic).equals(kafka.endOffsets(topic)),
          () -> "every offset committed, the large record's included");
    }

    assertThat(delivered).hasSize(NORMAL);
    List<ConsumerRecord<byte[], byte[]>> letters = kafka.readAll(dlq);
    assertThat(letters).hasSize(1);
    ConsumerRecord<byte[], byte[]> letter = letters.get(0);
    assertThat(letter.value()).isNull();
    assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.BODY_OMITTED).value(), UTF_8))
        .isEqualTo(Integer.toString(LARGE));
    assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.OFFSET).value(), UTF_8)).isEqualTo("0");
    assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.STATUS).value(), UTF_8)).isEqualTo("413");
  }

  private static List<String> concat(String first, Collection<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
