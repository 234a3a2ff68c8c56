package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.Event;
import io.asyncagent.Ordering;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Ordering#KEY} and {@link Ordering#PARTITION} against a real broker: each lane is delivered one at a time,
 * in offset order, while different lanes go in parallel.
 */
@WithEmbeddedKafka
class OrderingIT {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final ScheduledExecutorService DELAYS = Executors.newScheduledThreadPool(2, task -> {
    Thread thread = new Thread(task, "ordering-it-delays");
    thread.setDaemon(true);
    return thread;
  });

  @AfterAll
  static void stopDelays() {
    DELAYS.shutdownNow();
  }

  /** An agent of a new group that starts at the beginning of {@code topic}. */
  private static AsyncAgent.Builder agentFromEarliest(EmbeddedKafka kafka, String topic, BackendSink sink) {
    String group = EmbeddedKafka.uniqueGroup("ordering");
    return TestAgents.agent(kafka, group, group, sink, topic)
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.of(group))
            .startFrom(StartPosition.earliest())
            .build());
  }

  @Test
  void keyOrderingDeliversEveryKeysRecordsOneAtATimeInOffsetOrderWhileKeysGoInParallel(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("key-order");
    kafka.createTopic(topic, 1);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(20_000).distinctKeys(100);
    kafka.produce(batch.records());
    LaneRecordingSink sink = new LaneRecordingSink(event -> event.keyAsString().orElseThrow(), 20);

    try (AsyncAgent agent = agentFromEarliest(kafka, topic, sink).workers(16).ordering(Ordering.KEY).build()) {
      agent.start();
      Await.until(WAIT, () -> sink.completed.get() >= 20_000, () -> "20000 deliveries, got " + sink.completed.get());
    }

    assertThat(sink.completed.get()).isEqualTo(20_000);
    assertThat(sink.overlaps.get()).as("deliveries started while another of the same key was in flight").isZero();
    assertThat(sink.peakLanes.get()).as("most keys in flight at once").isGreaterThanOrEqualTo(2);
    assertThat(sink.peakInFlight.get()).as("most deliveries in flight at once").isLessThanOrEqualTo(16);
    assertThat(sink.offsetsByLane).hasSize(100);
    for (int k = 0; k < 100; k++) {
      String key = "key-" + k;
      // A fresh one-partition topic: record n sits at offset n, and key-k holds k, k + 100, ..., k + 19,900.
      List<Integer> expectedNumbers = IntStream.iterate(k, n -> n < 20_000, n -> n + 100).boxed()
          .collect(Collectors.toList());
      List<Long> expectedOffsets = expectedNumbers.stream().map(Integer::longValue).collect(Collectors.toList());
      assertThat(sink.offsetsByLane.get(key)).as("offsets of %s in delivery order", key)
          .isSorted().isEqualTo(expectedOffsets);
      assertThat(sink.numbersByLane.get(key)).as("record numbers of %s in delivery order", key)
          .isEqualTo(expectedNumbers);
    }
  }

  @Test
  void keyOrderingWithSixteenWorkersOutrunsOneAtATimeDelivery(EmbeddedKafka kafka) {
    // The same workload as above, measured on 2,000 records each: the one-at-a-time run takes ~10 ms per record.
    int count = 2_000;
    String keyTopic = EmbeddedKafka.uniqueTopic("key-rate");
    String serialTopic = EmbeddedKafka.uniqueTopic("serial-rate");
    kafka.createTopic(keyTopic, 1);
    kafka.createTopic(serialTopic, 1);
    kafka.produce(NumberedRecords.forTopic(keyTopic).count(count).distinctKeys(100).records());
    kafka.produce(NumberedRecords.forTopic(serialTopic).count(count).distinctKeys(100).records());

    LaneRecordingSink keySink = new LaneRecordingSink(event -> event.keyAsString().orElseThrow(), 20);
    try (AsyncAgent agent = agentFromEarliest(kafka, keyTopic, keySink).workers(16).ordering(Ordering.KEY).build()) {
      agent.start();
      Await.until(WAIT, () -> keySink.completed.get() >= count, () -> count + " deliveries, got "
          + keySink.completed.get());
    }
    LaneRecordingSink serialSink = new LaneRecordingSink(event -> event.keyAsString().orElseThrow(), 20);
    try (AsyncAgent agent = agentFromEarliest(kafka, serialTopic, serialSink).workers(1).build()) {
      agent.start();
      Await.until(WAIT, () -> serialSink.completed.get() >= count, () -> count + " deliveries, got "
          + serialSink.completed.get());
    }

    double keyRate = keySink.eventsPerSecond(count);
    double serialRate = serialSink.eventsPerSecond(count);
    System.out.println(String.format(Locale.ROOT,
        "throughput ratio KEY(16 workers) / one-at-a-time = %.2f (%.1f events/s / %.1f events/s)",
        keyRate / serialRate, keyRate, serialRate));
    assertThat(serialSink.peakInFlight.get()).as("most one-at-a-time deliveries in flight at once").isEqualTo(1);
    assertThat(keySink.overlaps.get()).as("deliveries started while another of the same key was in flight").isZero();
    assertThat(keyRate / serialRate).as("KEY (16 workers) events/s ÷ one-at-a-time events/s").isGreaterThan(1);
  }

  @Test
  void partitionOrderingDeliversEachPartitionOneAtATimeInOffsetOrder(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("partition-order");
    kafka.createTopic(topic, 3);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(3_000).distinctKeys(30);
    kafka.produce(batch.records());
    LaneRecordingSink sink = new LaneRecordingSink(event -> "partition-" + event.partition(), 5);

    try (AsyncAgent agent = agentFromEarliest(kafka, topic, sink).workers(8).ordering(Ordering.PARTITION).build()) {
      agent.start();
      Await.until(WAIT, () -> sink.completed.get() >= 3_000, () -> "3000 deliveries, got " + sink.completed.get());
    }

    assertThat(sink.completed.get()).isEqualTo(3_000);
    assertThat(sink.overlaps.get()).as("deliveries started while another of the same partition was in flight")
        .isZero();
    assertThat(sink.peakLanes.get()).as("most partitions in flight at once").isBetween(2, 3);
    Map<Integer, Long> endOffsets = kafka.endOffsets(topic);
    assertThat(endOffsets.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3_000);
    for (Map.Entry<Integer, Long> partition : endOffsets.entrySet()) {
      List<Long> expected = LongStream.range(0, partition.getValue()).boxed().collect(Collectors.toList());
      assertThat(sink.offsetsByLane.getOrDefault("partition-" + partition.getKey(), List.of()))
          .as("offsets of partition %d in delivery order", partition.getKey())
          .isEqualTo(expected);
    }
  }

  /**
   * A sink whose deliveries take a random 0 to {@code maxLatencyMillis} ms without holding a thread. It records, at
   * the start of each delivery, the offset and record number per lane, and counts deliveries that start while
   * another of the same lane is in flight.
   */
  private static final class LaneRecordingSink implements BackendSink {
    private final Function<Event, String> laneOf;
    private final int maxLatencyMillis;
    final Map<String, List<Long>> offsetsByLane = new ConcurrentHashMap<>();
    final Map<String, List<Integer>> numbersByLane = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlightByLane = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger lanesInFlight = new AtomicInteger();
    final AtomicInteger peakInFlight = new AtomicInteger();
    final AtomicInteger peakLanes = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    private final AtomicLong firstStartNanos = new AtomicLong();
    private final Map<Integer, Long> completedAtNanos = new ConcurrentHashMap<>();

    LaneRecordingSink(Function<Event, String> laneOf, int maxLatencyMillis) {
      this.laneOf = laneOf;
      this.maxLatencyMillis = maxLatencyMillis;
    }

    @Override
    public CompletionStage<Void> deliver(Event event) {
      firstStartNanos.compareAndSet(0, System.nanoTime());
      String lane = laneOf.apply(event);
      AtomicInteger laneInFlight = inFlightByLane.computeIfAbsent(lane, any -> new AtomicInteger());
      if (laneInFlight.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      } else {
        peakLanes.accumulateAndGet(lanesInFlight.incrementAndGet(), Math::max);
      }
      peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      offsetsByLane.computeIfAbsent(lane, any -> Collections.synchronizedList(new ArrayList<>()))
          .add(event.offset());
      numbersByLane.computeIfAbsent(lane, any -> Collections.synchronizedList(new ArrayList<>()))
          .add(NumberedRecords.numberOf(event.bodyAsString()));

      CompletableFuture<Void> done = new CompletableFuture<>();
      long latencyMicros = ThreadLocalRandom.current().nextLong(maxLatencyMillis * 1_000L + 1);
      DELAYS.schedule(() -> {
        inFlight.decrementAndGet();
        if (laneInFlight.decrementAndGet() == 0) {
          lanesInFlight.decrementAndGet();
        }
        completedAtNanos.put(completed.incrementAndGet(), System.nanoTime());
        done.complete(null);
      }, latencyMicros, TimeUnit.MICROSECONDS);
      return done;
    }

    /** Returns the rate from the first delivery's start to the {@code count}th completion. */
    double eventsPerSecond(int count) {
      long elapsed = completedAtNanos.get(count) - firstStartNanos.get();
      return count / (elapsed / 1e9);
    }
  }
}
