package io.asyncagent.bench;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.StartPosition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * P5's measured JVM: {@code agent BOOTSTRAP TOPIC RECORDS STALL_SECONDS} runs an agent with its default caps whose
 * backend stalls for a while and then recovers; {@code raw BOOTSTRAP TOPIC RECORDS} reads the same backlog with a
 * plain consumer. Either prints one line: {@code RESULT delivered=N maxAfterGc=BYTES peakUsed=BYTES}.
 */
public final class P5Child {
  private P5Child() {}

  /** Runs one measurement; see the class comment. */
  public static void main(String[] args) throws Exception {
    HeapWatch heap = new HeapWatch();
    long delivered = args[0].equals("agent")
        ? agent(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]))
        : raw(args[1], args[2], Integer.parseInt(args[3]));
    System.out.println("RESULT delivered=" + delivered + " maxAfterGc=" + heap.maxAfterGc() + " peakUsed="
        + HeapWatch.peakUsed());
  }

  private static long agent(String bootstrap, String topic, int records, int stallSeconds) {
    AtomicLong delivered = new AtomicLong();
    Queue<CompletableFuture<Void>> held = new ConcurrentLinkedQueue<>();
    AtomicBoolean recovered = new AtomicBoolean();
    BackendSink stallingThenFast = event -> {
      if (recovered.get()) {
        delivered.incrementAndGet();
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> later = new CompletableFuture<>();
      held.add(later);
      if (recovered.get()) { // recovered while this one was being queued: do not leave it behind
        release(held, delivered);
      }
      return later;
    };
    Thread recovery = new Thread(() -> {
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(stallSeconds)); // the stall itself
      recovered.set(true);
      release(held, delivered);
    }, "p5-recovery");
    recovery.setDaemon(true);
    recovery.start();
    try (AsyncAgent agent = AsyncAgent.builder()
        .name("p5")
        .topics(topic)
        .timeout(Duration.ofMinutes(10)) // the stall is the backend's, not a timeout
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(bootstrap).build())
            .group(Group.of("p5-agent-" + System.nanoTime()))
            .startFrom(StartPosition.earliest())
            .build())
        .sink(stallingThenFast)
        .build()) {
      agent.start();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (delivered.get() < records && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
    return delivered.get();
  }

  private static void release(Queue<CompletableFuture<Void>> held, AtomicLong delivered) {
    for (CompletableFuture<Void> waiting = held.poll(); waiting != null; waiting = held.poll()) {
      delivered.incrementAndGet();
      waiting.complete(null);
    }
  }

  private static long raw(String bootstrap, String topic, int records) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "p5-raw-" + System.nanoTime(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    long seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (seen < records && System.nanoTime() < deadline) {
        seen += consumer.poll(Duration.ofMillis(100)).count();
      }
    }
    return seen;
  }
}
