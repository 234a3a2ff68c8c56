package io.asyncagent.kafka;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.Event;
import io.asyncagent.Partition;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A sink that stops completing its deliveries while a backlog waits: the agent holds no more than its caps allow,
 * stays in its group and healthy, and delivers everything once the sink recovers.
 */
@WithEmbeddedKafka
class BackpressureIT {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final int PARTITIONS = 6;
  private static final int WORKERS = 16;
  private static final int BUFFER_SIZE = 100;
  private static final long MAX_BUFFERED_BYTES = 64 * 1024;
  private static final int PRODUCE_CHUNK = 20_000;
  private static final long SAMPLE_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  @Test
  void aStalledSinkUnderA200000RecordBacklogHoldsTheBufferAtItsCapsKeepsTheGroupAndGetsEverythingOnRecovery(
      EmbeddedKafka kafka) {
    // 100-byte events: the count cap (16 + 100 events, 11,600 bytes) binds long before the byte cap (64 KiB).
    Sample full = stallThenRecover(kafka, "backlog", 200_000, 100, Duration.ofSeconds(8));

    assertThat(full).as("the buffer when full")
        .isEqualTo(new Sample(AgentState.RUNNING, true, WORKERS + BUFFER_SIZE, (WORKERS + BUFFER_SIZE) * 100L));
  }

  @Test
  void aStalledSinkWithLargeEventsFillsTheByteCapBeforeTheEventCap(EmbeddedKafka kafka) {
    // 1,000-byte events: 65 of them (65,000 bytes) fit in 64 KiB; the 66th would not, and 65 < 16 + 100.
    Sample full = stallThenRecover(kafka, "large", 5_000, 1_000, Duration.ofSeconds(2));

    assertThat(full).as("the buffer when full")
        .isEqualTo(new Sample(AgentState.RUNNING, true, 65, 65_000));
  }

  private record Sample(AgentState state, boolean healthy, int events, long bytes) {}

  /**
   * Starts an agent whose sink stalls, produces {@code count} records of {@code valueSize} bytes, samples the agent's
   * health from the first record produced until {@code stall} after the sink's first call, checks the stalled phase,
   * recovers the sink and checks that everything arrives and is committed. Returns the last sample of the stall.
   */
  private static Sample stallThenRecover(EmbeddedKafka kafka, String prefix, int count, int valueSize,
      Duration stall) {
    String topic = EmbeddedKafka.uniqueTopic(prefix);
    String group = EmbeddedKafka.uniqueGroup(prefix);
    kafka.createTopic(topic, PARTITIONS);
    StallingSink sink = new StallingSink(count);
    Queue<String> callbacks = new ConcurrentLinkedQueue<>();
    AsyncAgent agent = AsyncAgent.builder()
        .name(group)
        .topics(topic)
        .workers(WORKERS)
        .bufferSize(BUFFER_SIZE)
        .maxBufferedBytes(MAX_BUFFERED_BYTES)
        .timeout(Duration.ofMinutes(2)) // longer than the stall: no delivery may time out while the sink is stuck
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.builder().id(group)
                .sessionTimeout(Duration.ofSeconds(6)) // the broker's minimum; the stall outlasts it
                .heartbeatInterval(Duration.ofSeconds(2))
                .build())
            .build())
        .listener(new RecordingListener(callbacks))
        .sink(sink)
        .build();
    Sampler sampler = new Sampler(agent);
    Thread samplerThread = new Thread(sampler, "backpressure-sampler-" + prefix);
    try {
      agent.start(); // a new group starts at the end: start first, so the backlog produced next is read
      samplerThread.start();
      for (int first = 0; first < count; first += PRODUCE_CHUNK) {
        kafka.produce(records(topic, first, Math.min(PRODUCE_CHUNK, count - first), valueSize));
      }
      Await.until(WAIT, () -> sink.calls() >= WORKERS, () -> WORKERS + " stalled calls, got " + sink.calls());
      sampler.stopAt(sink.firstCallNanos() + stall.toNanos());
      TestThreads.join(samplerThread, WAIT);
      long stalledFor = System.nanoTime() - sink.firstCallNanos();

      List<Sample> samples = sampler.samples;
      List<Sample> overCap =
          samples.stream().filter(s -> s.events() > WORKERS + BUFFER_SIZE || s.bytes() > MAX_BUFFERED_BYTES).toList();
      List<Sample> unhealthy = samples.stream().filter(s -> s.state() != AgentState.RUNNING || !s.healthy()).toList();
      assertThat(stalledFor).as("nanoseconds stalled").isGreaterThanOrEqualTo(stall.toNanos());
      assertThat(samples.size()).as("samples taken").isGreaterThanOrEqualTo(100);
      assertThat(overCap.size()).as("samples over a cap (events > %d or bytes > %d) of %d; the first: %s",
          WORKERS + BUFFER_SIZE, MAX_BUFFERED_BYTES, samples.size(), first(overCap)).isZero();
      assertThat(unhealthy.size()).as("samples not RUNNING and healthy of %d; the first: %s", samples.size(),
          first(unhealthy)).isZero();
      assertThat(sink.calls()).as("calls while stalled").isEqualTo(WORKERS);
      assertThat(List.copyOf(callbacks)).as("listener callbacks until the end of the stall")
          .containsExactly("assigned " + allPartitions(topic));
      Sample full = samples.get(samples.size() - 1);

      sink.recover();
      Await.until(WAIT, () -> sink.distinct() == count,
          () -> count + " distinct records delivered, got " + sink.distinct());
      assertThat(List.copyOf(callbacks)).as("listener callbacks until everything arrived")
          .containsExactly("assigned " + allPartitions(topic));
      agent.close();

      assertThat(agent.state()).isEqualTo(AgentState.STOPPED);
      assertThat(sink.unknownNumbers()).as("deliveries of records never produced").isZero();
      assertThat(sink.missing()).as("record numbers never delivered (%d duplicate deliveries)", sink.duplicates())
          .isEmpty();
      assertThat(sink.distinct()).as("distinct records delivered (%d calls, %d duplicates)", sink.calls(),
          sink.duplicates()).isEqualTo(count);
      Map<Integer, Long> endOffsets = kafka.endOffsets(topic);
      assertThat(endOffsets.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(count);
      assertThat(kafka.committedOffsets(group, topic)).isEqualTo(endOffsets);
      return full;
    } finally {
      sink.recover(); // on a failure too, or the close would wait its drain timeout for the stalled deliveries
      sampler.stopAt(System.nanoTime());
      TestThreads.join(samplerThread, WAIT);
      agent.close();
    }
  }

  private static List<Sample> first(List<Sample> samples) {
    return samples.subList(0, Math.min(5, samples.size()));
  }

  /** Records {@code first} onwards, round-robin over the partitions; each value is exactly {@code valueSize} bytes. */
  private static List<ProducerRecord<byte[], byte[]>> records(String topic, int first, int count, int valueSize) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) {
      byte[] value = new byte[valueSize];
      Arrays.fill(value, (byte) '.');
      byte[] number = String.format("%08d", i).getBytes(US_ASCII);
      System.arraycopy(number, 0, value, 0, number.length);
      records.add(new ProducerRecord<>(topic, i % PARTITIONS, null, value));
    }
    return records;
  }

  private static Set<Partition> allPartitions(String topic) {
    return IntStream.range(0, PARTITIONS).mapToObj(p -> new Partition(topic, p))
        .collect(Collectors.toCollection(() -> new TreeSet<>((a, b) -> Integer.compare(a.partition(), b.partition()))));
  }

  /**
   * Holds every delivery's stage until {@link #recover()}; from then on completes at once. Counts the deliveries of
   * each record number.
   */
  private static final class StallingSink implements BackendSink {
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicLong firstCallNanos = new AtomicLong();
    private final AtomicIntegerArray deliveries;
    private final AtomicInteger distinct = new AtomicInteger();
    private final AtomicInteger unknown = new AtomicInteger();
    private final List<CompletableFuture<Void>> stalled = new ArrayList<>(); // guarded by this
    private boolean recovered; // guarded by this

    StallingSink(int count) {
      this.deliveries = new AtomicIntegerArray(count);
    }

    @Override
    public CompletionStage<Void> deliver(Event event) {
      if (calls.getAndIncrement() == 0) {
        firstCallNanos.set(System.nanoTime());
      }
      int number = Integer.parseInt(event.bodyAsString().substring(0, 8));
      if (number < deliveries.length()) {
        if (deliveries.getAndIncrement(number) == 0) {
          distinct.incrementAndGet();
        }
      } else {
        unknown.incrementAndGet();
      }
      synchronized (this) {
        if (!recovered) {
          CompletableFuture<Void> stage = new CompletableFuture<>();
          stalled.add(stage);
          return stage;
        }
      }
      return CompletableFuture.completedFuture(null);
    }

    void recover() {
      List<CompletableFuture<Void>> held;
      synchronized (this) {
        recovered = true;
        held = List.copyOf(stalled);
        stalled.clear();
      }
      held.forEach(stage -> stage.complete(null));
    }

    int calls() {
      return calls.get();
    }

    long firstCallNanos() {
      return firstCallNanos.get();
    }

    int distinct() {
      return distinct.get();
    }

    int duplicates() {
      return calls.get() - unknown.get() - distinct.get();
    }

    int unknownNumbers() {
      return unknown.get();
    }

    /** Returns up to 20 record numbers never delivered. */
    List<Integer> missing() {
      return IntStream.range(0, deliveries.length()).filter(n -> deliveries.get(n) == 0).limit(20).boxed().toList();
    }
  }

  /** Samples the agent's health every 10 ms until told when to stop; the samples are read after joining. */
  private static final class Sampler implements Runnable {
    private final AsyncAgent agent;
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean stopSet;
    private volatile long stopAtNanos;

    Sampler(AsyncAgent agent) {
      this.agent = agent;
    }

    void stopAt(long nanos) {
      if (!stopSet) {
        stopAtNanos = nanos;
        stopSet = true;
      }
    }

    @Override
    public void run() {
      while (!stopSet || System.nanoTime() - stopAtNanos < 0) {
        var health = agent.health();
        samples.add(new Sample(health.state(), health.isHealthy(), health.bufferedEvents(), health.bufferedBytes()));
        LockSupport.parkNanos(SAMPLE_PERIOD_NANOS);
      }
    }
  }

  /** Records partition callbacks as {@code assigned [t-0, t-1]}, partitions sorted. */
  private record RecordingListener(Queue<String> callbacks) implements AgentListener {
    @Override
    public void partitionsAssigned(AsyncAgent agent, Set<Partition> partitions) {
      callbacks.add("assigned " + sorted(partitions));
    }

    @Override
    public void partitionsRevoked(AsyncAgent agent, Set<Partition> partitions) {
      callbacks.add("revoked " + sorted(partitions));
    }

    @Override
    public void partitionsLost(AsyncAgent agent, Set<Partition> partitions) {
      callbacks.add("lost " + sorted(partitions));
    }

    private static Set<Partition> sorted(Set<Partition> partitions) {
      Set<Partition> sorted = new TreeSet<>((a, b) -> Integer.compare(a.partition(), b.partition()));
      sorted.addAll(partitions);
      return sorted;
    }
  }
}
