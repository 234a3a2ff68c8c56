package io.asyncagent.bench;

import io.asyncagent.AsyncAgent;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/*
 * P4: the latency an event sees from the moment it is sent to Kafka to the moment the HTTP backend receives
 * it, at a steady 1,000 events/s — the agent's poll loop, dispatch and HTTP client on the way. The physical
 * limit is a raw KafkaConsumer over the same stream: send to poll. Each record carries its send time (epoch
 * microseconds) in a header, which the agent forwards as an HTTP header; the backend notes when it got it.
 * Producer and consumers are in this JVM, so the clocks agree.
 */
/** P4: end-to-end latency at 1,000 events/s with a fast backend. */
final class P4Latency implements Scenario {
  private static final String SENT_AT = "X-Sent-At-Micros";
  private static final int RATE = 1_000;

  @Override
  public String id() {
    return "P4";
  }

  @Override
  public String title() {
    return "latency at 1,000 events/s, send → backend receipt";
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    int seconds = context.scale().pick(20, 2);
    List<Double> oursP99 = new ArrayList<>();
    List<Double> rawP99 = new ArrayList<>();
    List<Double> ratioToRaw = new ArrayList<>();
    List<Double> ratioToTarget = new ArrayList<>();
    StringBuilder table = new StringBuilder("| round | agent p50 | agent p99 | agent p99.9 | raw p50 | raw p99 | raw p99.9 |\n"
        + "|---|---|---|---|---|---|---|\n");
    context.progress(id(), "warming up both (not counted)");
    agentRound(context, Math.min(seconds, 5));
    rawRound(context, Math.min(seconds, 5));
    for (int round = 1; round <= context.rounds(); round++) {
      double[] raw;
      double[] ours;
      if (round % 2 == 1) {
        raw = rawRound(context, seconds);
        ours = agentRound(context, seconds);
      } else {
        ours = agentRound(context, seconds);
        raw = rawRound(context, seconds);
      }
      oursP99.add(ours[1]);
      rawP99.add(raw[1]);
      ratioToRaw.add(ours[1] / raw[1]);
      ratioToTarget.add(ours[1] / 10.0);
      table.append(String.format("| %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms |%n", round, ours[0],
          ours[1], ours[2], raw[0], raw[1], raw[2]));
      context.progress(id(), "round %d: agent p50 %.2f ms p99 %.2f ms p99.9 %.2f ms; raw p99 %.2f ms", round, ours[0],
          ours[1], ours[2], raw[1]);
    }
    Stats target = Stats.of(Collections.nCopies(oursP99.size(), 10.0));
    ScenarioResult result = new ScenarioResult();
    result.row(new ScenarioResult.Row(id(), "latency", "p99 ms vs the 10 ms target", "target", Stats.of(oursP99),
        target, Stats.of(ratioToTarget), 1.0, false));
    result.row(new ScenarioResult.Row(id(), "latency", "p99 ms vs raw consumer", "raw consumer", Stats.of(oursP99),
        Stats.of(rawP99), Stats.of(ratioToRaw), Double.NaN, false));
    result.details("## P4 — end-to-end latency\n\n" + String.format("%d s per round at %,d events/s (one record every "
        + "millisecond, 6 partitions, no key). The agent (16 workers) forwards each record to a loopback HTTP backend "
        + "(the test kit's JDK HttpServer); latency is from the producer's send to the backend's receipt. The raw "
        + "consumer's is from send to poll. Percentiles per round:%n%n", seconds, RATE) + table);
    return result;
  }

  /** Returns p50, p99 and p99.9 in milliseconds of the agent's end-to-end latency. */
  private double[] agentRound(BenchContext context, int seconds) throws Exception {
    EmbeddedKafka kafka = context.kafka();
    String topic = EmbeddedKafka.uniqueTopic("p4-agent");
    kafka.createTopic(topic, 6);
    String group = EmbeddedKafka.uniqueGroup("p4-agent");
    try (RecordingHttpBackend backend = RecordingHttpBackend.start();
        AsyncAgent agent = AsyncAgent.builder()
            .name(group)
            .topics(topic)
            .workers(16)
            .driver(KafkaDriver.builder()
                .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
                .group(Group.of(group))
                .build())
            .sink(HttpBackend.builder().host(backend.uri().toString()).urlPattern("/events").build())
            .build()) {
      agent.start();
      int sent = paced(kafka, topic, seconds);
      backend.awaitRequests(sent, Duration.ofMinutes(1));
      List<Double> latencies = new ArrayList<>(sent);
      for (RecordedRequest request : backend.requests()) {
        long sentAt = Long.parseLong(request.header(SENT_AT).orElseThrow());
        latencies.add((micros(request.receivedAt()) - sentAt) / 1000.0);
      }
      return percentiles(latencies);
    }
  }

  private double[] rawRound(BenchContext context, int seconds) throws Exception {
    EmbeddedKafka kafka = context.kafka();
    String topic = EmbeddedKafka.uniqueTopic("p4-raw");
    kafka.createTopic(topic, 6);
    Map<String, Object> config = kafka.consumerConfig(EmbeddedKafka.uniqueGroup("p4-raw"));
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    List<Double> latencies = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(100));
      }
      consumer.assignment().forEach(partition -> consumer.position(partition));
      Thread producer = new Thread(() -> paced(kafka, topic, seconds), "p4-producer");
      producer.start();
      int expected = seconds * RATE;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 60L);
      while (latencies.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = micros(Instant.now());
          long sentAt = Long.parseLong(new String(record.headers().lastHeader(SENT_AT).value(), StandardCharsets.US_ASCII));
          latencies.add((now - sentAt) / 1000.0);
        }
      }
      producer.join();
    }
    return percentiles(latencies);
  }

  /** Sends one record every millisecond for {@code seconds}; returns how many were sent. */
  private static int paced(EmbeddedKafka kafka, String topic, int seconds) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "1",
        ProducerConfig.LINGER_MS_CONFIG, 0,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    int count = seconds * RATE;
    long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < count; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, Load.value(i, 100));
        record.headers().add(SENT_AT, Long.toString(micros(Instant.now())).getBytes(StandardCharsets.US_ASCII));
        producer.send(record);
      }
      producer.flush();
    }
    return count;
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static double[] percentiles(List<Double> latencies) {
    List<Double> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new double[] {at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999)};
  }

  private static double at(List<Double> sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
