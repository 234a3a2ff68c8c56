package io.asyncagent.reliability;

import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Produces numbered records to a topic at a steady rate, in batches every 20 ms, until stopped: the stream a scenario
 * breaks something in the middle of. Records are numbered from 0 in the order they are sent, with 1,000 keys so that
 * every partition gets its share; each batch waits for the cluster's acknowledgement (acks=all, idempotent), and the
 * time it was sent is kept for every number.
 */
final class SteadyStream implements AutoCloseable {
  private static final long PERIOD_MILLIS = 20;
  private static final int KEYS = 1_000;

  private final EmbeddedKafka kafka;
  private final NumberedRecords records;
  private final int batch;
  private final ScheduledExecutorService producer;
  private final List<Long> sentAtNanos = new ArrayList<>(); // guarded by this; index = record number
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private int acknowledged; // guarded by this

  private SteadyStream(EmbeddedKafka kafka, String topic, int perSecond) {
    this.kafka = kafka;
    this.records = NumberedRecords.forTopic(topic).distinctKeys(KEYS);
    this.batch = Math.max(1, (int) (perSecond * PERIOD_MILLIS / 1000));
    this.producer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "steady-stream-" + topic);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts producing {@code perSecond} records a second to {@code topic}. */
  static SteadyStream start(EmbeddedKafka kafka, String topic, int perSecond) {
    SteadyStream stream = new SteadyStream(kafka, topic, perSecond);
    stream.producer.scheduleAtFixedRate(stream::sendBatch, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    return stream;
  }

  private void sendBatch() {
    if (failure.get() != null) {
      return;
    }
    int first;
    synchronized (this) {
      first = sentAtNanos.size();
      long now = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        sentAtNanos.add(now);
      }
    }
    try {
      kafka.produce(records.startAt(first).count(batch).records());
      synchronized (this) {
        acknowledged += batch;
      }
    } catch (RuntimeException | Error e) {
      failure.compareAndSet(null, e);
    }
  }

  /** Records acknowledged so far. */
  synchronized int produced() {
    return acknowledged;
  }

  /** Records sent so far, acknowledged or not: numbers below this have a {@link #sentAtNanos(int)}. */
  synchronized int sent() {
    return sentAtNanos.size();
  }

  /** When record {@code number} was sent. */
  synchronized long sentAtNanos(int number) {
    return sentAtNanos.get(number);
  }

  /**
   * Stops producing, waits for the batch in flight, and returns the numbers of every record acknowledged.
   *
   * @throws AssertionError if a batch failed; the stream stops at the first failure
   */
  Set<Integer> stop() {
    producer.shutdown();
    try {
      if (!producer.awaitTermination(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the stream's last batch was not acknowledged within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping the stream", e);
    }
    Throwable failed = failure.get();
    if (failed != null) {
      throw new AssertionError("a batch of the stream failed, so which records exist is unknown: " + failed, failed);
    }
    Set<Integer> numbers = new HashSet<>();
    synchronized (this) {
      for (int i = 0; i < acknowledged; i++) {
        numbers.add(i);
      }
    }
    return numbers;
  }

  @Override
  public void close() {
    producer.shutdownNow();
  }
}
