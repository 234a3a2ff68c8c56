package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// One broker for the class; the close test ends its life, so it runs last.
@TestMethodOrder(OrderAnnotation.class)
final class DemoBrokerIT {

  private static final Logger LOG = LoggerFactory.getLogger(DemoBrokerIT.class);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static Set<Thread> threadsBeforeStart;
  private static DemoBroker broker;

  @BeforeAll
  static void startBroker() {
    threadsBeforeStart = Set.copyOf(Thread.getAllStackTraces().keySet());
    long started = System.nanoTime();
    broker = DemoBroker.start();
    LOG.info("DemoBroker.start() took {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  @AfterAll
  static void closeBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  @Order(1)
  void deliversEveryProducedRecordToAFreshConsumerGroup() throws Exception {
    broker.createTopic("round-trip", 3);
    List<String> sent = IntStream.range(0, 100).mapToObj(i -> "value-" + i).collect(Collectors.toList());

    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        // Keys spread the records over all three partitions.
        acks.add(producer.send(new ProducerRecord<>("round-trip", "key-" + i, sent.get(i))));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    List<String> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "round-trip-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
      consumer.subscribe(List.of("round-trip"));
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (received.size() < sent.size() && System.nanoTime() - deadline < 0) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          received.add(record.value());
        }
      }
      assertThat(consumer.assignment()).hasSize(3);
    }

    assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
  }

  @Test
  @Order(2)
  void closeIsIdempotentRemovesTheDirectoryAndLeavesNoThreadThatKeepsTheJvmAlive() throws Exception {
    Path directory = broker.directory();
    assertThat(directory).isDirectory();

    broker.close();
    broker.close();

    assertThat(Files.exists(directory)).isFalse();
    assertThatThrownBy(() -> broker.createTopic("after-close", 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("DemoBroker at " + broker.bootstrapServers() + " is closed");
    assertThat(awaitNoNewNonDaemonThreads()).isEmpty();
  }

  /** Returns the names of non-daemon threads started since the broker started that are still alive at the deadline. */
  private static List<String> awaitNoNewNonDaemonThreads() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<String> lingering = Thread.getAllStackTraces().keySet().stream()
          .filter(thread -> !thread.isDaemon() && thread.isAlive() && !threadsBeforeStart.contains(thread))
          .map(Thread::getName)
          .sorted()
          .collect(Collectors.toList());
      if (lingering.isEmpty() || System.nanoTime() - deadline >= 0) {
        return lingering;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
