package io.asyncagent.bench;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.StartPosition;
import io.asyncagent.testkit.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/*
 * P1: how much of the raw consumer's speed the agent keeps when its sink costs nothing. The baseline is a
 * plain KafkaConsumer poll loop over the same topic, which is all the agent's driver could ever do; the
 * agent adds events, the dispatcher, the offset trackers and commits. Both read the whole topic from the
 * beginning in a fresh group; the clock runs from the start of the consumer to the last record handled.
 */
/** P1: throughput with a no-op sink, divided by a raw {@code KafkaConsumer} poll loop. */
final class P1Throughput implements Scenario {
  private static final int VALUE_SIZE = 100;
  private static final int PARTITIONS = 6;

  @Override
  public String id() {
    return "P1";
  }

  @Override
  public String title() {
    return "throughput, no-op sink ÷ raw KafkaConsumer";
  }

  @Override
  public ScenarioResult run(BenchContext context) {
    int records = context.scale().pick(2_000_000, 20_000);
    String topic = EmbeddedKafka.uniqueTopic("p1");
    context.kafka().createTopic(topic, PARTITIONS);
    context.progress(id(), "producing %,d records of %d bytes to %d partitions", records, VALUE_SIZE, PARTITIONS);
    Load.produce(context.kafka(), topic, records, VALUE_SIZE, i -> null);
    context.progress(id(), "warming up both (not counted)");
    raw(context.kafka(), topic, records);
    agent(context.kafka(), topic, records);
    List<Double> ours = new ArrayList<>();
    List<Double> raw = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int round = 1; round <= context.rounds(); round++) {
      double rawRate;
      double ourRate;
      if (round % 2 == 1) {
        rawRate = raw(context.kafka(), topic, records);
        ourRate = agent(context.kafka(), topic, records);
      } else {
        ourRate = agent(context.kafka(), topic, records);
        rawRate = raw(context.kafka(), topic, records);
      }
      raw.add(rawRate);
      ours.add(ourRate);
      ratios.add(ourRate / rawRate);
      context.progress(id(), "round %d: agent %,.0f events/s, raw %,.0f records/s, ratio %.2f", round, ourRate,
          rawRate, ourRate / rawRate);
    }
    ScenarioResult result = new ScenarioResult();
    result.row(new ScenarioResult.Row(id(), "throughput", "events/s", "raw consumer", Stats.of(ours), Stats.of(raw),
        Stats.of(ratios), 0.90, true));
    result.details("## P1 — throughput with a no-op sink\n\n" + String.format(
        "%,d records of %d bytes on %d partitions, read from the beginning by a fresh group each time. The agent "
            + "runs with its defaults (1 worker, buffer 256) and a sink that completes at once; the baseline is a "
            + "`KafkaConsumer` poll loop with the same client settings that only counts records. Time from the "
            + "consumer's start to the last record. One uncounted round of each warms the JIT first.\n", records,
        VALUE_SIZE, PARTITIONS));
    return result;
  }

  private static double raw(EmbeddedKafka kafka, String topic, int records) {
    long started = System.nanoTime();
    long seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(Load.rawConsumer(kafka, EmbeddedKafka.uniqueGroup("p1-raw")))) {
      consumer.subscribe(List.of(topic));
      long deadline = started + TimeUnit.MINUTES.toNanos(5);
      while (seen < records) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        seen += batch.count();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("raw consumer read " + seen + " of " + records + " in 5 minutes");
        }
      }
    }
    return records / ((System.nanoTime() - started) / 1e9);
  }

  private static double agent(EmbeddedKafka kafka, String topic, int records) {
    AtomicLong seen = new AtomicLong();
    AtomicLong finishedAt = new AtomicLong();
    BackendSink noOp = new BackendSink() {
      private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

      @Override
      public CompletionStage<Void> deliver(io.asyncagent.Event event) {
        if (seen.incrementAndGet() == records) {
          finishedAt.set(System.nanoTime());
        }
        return done;
      }
    };
    String group = EmbeddedKafka.uniqueGroup("p1-agent");
    long started = System.nanoTime();
    try (AsyncAgent agent = AsyncAgent.builder()
        .name(group)
        .topics(topic)
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.of(group))
            .startFrom(StartPosition.earliest())
            .build())
        .sink(noOp)
        .build()) {
      agent.start();
      long deadline = started + TimeUnit.MINUTES.toNanos(5);
      while (seen.get() < records) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("agent delivered " + seen.get() + " of " + records + " in 5 minutes");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
    return records / ((finishedAt.get() - started) / 1e9);
  }
}
