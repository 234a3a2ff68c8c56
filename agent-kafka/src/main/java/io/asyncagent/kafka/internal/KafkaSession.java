package io.asyncagent.kafka.internal;

import io.asyncagent.Event;
import io.asyncagent.Partition;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.spi.Dispatcher;
import io.asyncagent.spi.DriverContext;
import io.asyncagent.spi.DriverSession;
import io.asyncagent.spi.Ticket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * One agent's Kafka session: a poll thread that alone owns the KafkaConsumer.
 *
 * The loop polls, hands records to the dispatcher in partition order, applies the completions that
 * worker threads queued, and commits on an interval. It never blocks on the dispatcher: when the agent's
 * buffer is full the records left over wait in `pending`, every assigned partition is paused so that
 * polling goes on (membership stays alive) without fetching more, and the dispatcher's capacity listener
 * wakes the poll up when there is room again. Wake-ups are only hints, so a blocking call that catches one
 * meant for poll() simply retries.
 *
 * Completions are applied only on this thread, so trackers need no locks. Rebalance callbacks run inside
 * poll() on this thread too: on revoke the partition's queued events are withdrawn, its in-flight ones
 * awaited up to a deadline, and its contiguous prefix committed synchronously; on loss nothing is
 * committed. Closing does the same for every partition, bounded by the grace period.
 */
/** The {@link DriverSession} of the Kafka driver. */
public final class KafkaSession implements DriverSession, ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(KafkaSession.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(10);
  /** After a failure the cluster is likely gone: do not hold the reconnect up for long. */
  private static final Duration FAILED_CLOSE_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration CLOSE_MARGIN = Duration.ofSeconds(30);
  private static final long LAG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String agentName;
  private final List<String> topics;
  private final DriverContext context;
  private final KafkaDriver driver;
  private final Dispatcher dispatcher;
  private final Map<String, Object> properties;
  private final EventMapper mapper;
  private final long commitIntervalNanos;
  private final long revokeTimeoutNanos;
  private final Thread pollThread;
  private final OffsetBook book;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final AtomicBoolean closeRequested = new AtomicBoolean();

  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean waitingForCapacity;
  private volatile boolean roomSignalled;
  private volatile boolean closing;
  private volatile Duration grace = Duration.ZERO;

  // Owned by the poll thread.
  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
  private Event pendingHead; // the event made from pending's first record, kept while the buffer is full
  private PartitionTracker lastTracker; // the tracker of the last record handed over: records come in runs
  private boolean paused;
  private long nextCommitAt;
  private long nextLagAt;
  private ClusterWatch watch;

  private KafkaSession(KafkaDriver driver, DriverContext context) {
    this.agentName = context.agentName();
    this.topics = context.topics();
    this.context = context;
    this.driver = driver;
    this.dispatcher = context.dispatcher();
    this.properties = ConsumerProperties.of(driver, agentName, dispatcher.capacity());
    this.mapper = new EventMapper(driver.keyMeta().orElse(null));
    this.commitIntervalNanos = driver.commitInterval().toNanos();
    Duration rebalanceTimeout = driver.group().map(Group::rebalanceTimeout).orElse(Group.of("-").rebalanceTimeout());
    this.revokeTimeoutNanos = Math.min(TimeUnit.SECONDS.toNanos(30), rebalanceTimeout.toNanos() / 2);
    this.pollThread = context.threadFactory("poll").newThread(this::run);
    this.book = new OffsetBook(context, pollThread);
  }

  /** Creates a session and starts its poll thread. */
  public static KafkaSession start(KafkaDriver driver, DriverContext context) {
    KafkaSession session = new KafkaSession(driver, context);
    session.pollThread.start();
    return session;
  }

  @Override
  public CompletionStage<Void> ready() {
    return ready.minimalCompletionStage();
  }

  @Override
  public CompletionStage<Void> terminated() {
    return terminated.minimalCompletionStage();
  }

  @Override
  public void close(Duration grace) {
    if (closeRequested.compareAndSet(false, true)) {
      this.grace = grace;
      closing = true;
      KafkaConsumer<byte[], byte[]> current = consumer;
      if (current != null) {
        current.wakeup();
      }
      LockSupport.unpark(pollThread);
    }
    if (Thread.currentThread() == pollThread) {
      return; // the session failed and the agent reacted on this thread; run() is finishing anyway
    }
    try {
      pollThread.join(grace.plus(CONSUMER_CLOSE_TIMEOUT).plus(CLOSE_MARGIN).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (pollThread.isAlive()) {
      log.error("agent '{}': the poll thread did not stop within {} of the close", agentName,
          grace.plus(CONSUMER_CLOSE_TIMEOUT).plus(CLOSE_MARGIN));
    }
  }

  private void run() {
    Throwable failure = null;
    try {
      consumer = new KafkaConsumer<>(properties);
      Cluster cluster = driver.cluster();
      watch = new ClusterWatch(consumer, cluster.blipTolerance(), cluster.metadataRetryMax(),
          cluster.metadataRetryBackoff(), cluster.brokers());
      dispatcher.setCapacityListener(this::capacityAvailable);
      consumer.subscribe(topics, this);
      nextCommitAt = System.nanoTime() + commitIntervalNanos;
      while (!closing) {
        ConsumerRecords<byte[], byte[]> records = poll();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          pending.add(record);
        }
        handOver();
        book.applyCompletions();
        long now = System.nanoTime();
        report(now);
        commitIfDue(now);
      }
      drain();
    } catch (Throwable e) {
      failure = FailureKinds.classify(e);
      book.all().forEach(PartitionTracker::cancelQueued);
    } finally {
      dispatcher.setCapacityListener(null);
      closeConsumer(failure);
      if (failure == null) {
        terminated.complete(null);
      } else {
        terminated.completeExceptionally(failure);
      }
    }
  }

  private ConsumerRecords<byte[], byte[]> poll() {
    waitingForCapacity = !pending.isEmpty();
    // Room may have been signalled before the flag above was up, when no wake-up was sent: then do not wait.
    boolean room = roomSignalled;
    roomSignalled = false;
    try {
      return consumer.poll(room ? Duration.ZERO : POLL_TIMEOUT);
    } catch (WakeupException hint) {
      return ConsumerRecords.empty();
    } finally {
      waitingForCapacity = false;
    }
  }

  /** Offers pending records in order until the dispatcher is full; pauses fetching while any are left. */
  private void handOver() {
    while (!pending.isEmpty()) {
      ConsumerRecord<byte[], byte[]> record = pending.peekFirst();
      PartitionTracker tracker = trackerOf(record);
      if (tracker == null) { // revoked since it was fetched; the next owner reads it
        dropPendingHead();
        continue;
      }
      if (pendingHead == null) {
        pendingHead = mapper.toEvent(record);
      }
      long sequence = tracker.nextSequence();
      Optional<Ticket> ticket = dispatcher.offer(pendingHead, () -> book.processed(tracker, sequence));
      if (ticket.isEmpty()) {
        pauseAll();
        return;
      }
      tracker.admitted(record.offset(), ticket.get());
      dropPendingHead();
    }
    resumeAll();
  }

  private PartitionTracker trackerOf(ConsumerRecord<byte[], byte[]> record) {
    PartitionTracker last = lastTracker;
    if (last != null && last.partition().partition() == record.partition()
        && last.partition().topic().equals(record.topic())) {
      return last;
    }
    lastTracker = book.tracker(new TopicPartition(record.topic(), record.partition()));
    return lastTracker;
  }

  private void dropPendingHead() {
    pending.pollFirst();
    pendingHead = null;
  }

  /** Runs on an agent thread when the dispatcher has room again. */
  private void capacityAvailable() {
    roomSignalled = true;
    KafkaConsumer<byte[], byte[]> current = consumer;
    if (waitingForCapacity && current != null) {
      current.wakeup();
    }
  }

  private void pauseAll() {
    if (!paused) {
      consumer.pause(consumer.assignment());
      paused = true;
    }
  }

  private void resumeAll() {
    if (paused) {
      consumer.resume(consumer.paused());
      paused = false;
    }
  }

  /** Tells the agent whether the cluster is reachable, that polling works, and the lag once a second. */
  private void report(long now) {
    boolean reachable = watch.check(now);
    context.reachable(reachable);
    if (reachable) {
      context.polled();
    }
    if (now - nextLagAt >= 0) {
      nextLagAt = now + LAG_INTERVAL_NANOS;
      long lag = 0;
      for (PartitionTracker tracker : book.all()) {
        OptionalLong known = consumer.currentLag(tracker.partition());
        if (known.isPresent()) {
          lag += known.getAsLong();
        }
      }
      context.lag(lag);
    }
  }

  private void commitIfDue(long now) {
    if (now - nextCommitAt < 0) {
      return;
    }
    nextCommitAt = now + commitIntervalNanos;
    book.commitAsync(consumer);
  }

  /** Closing: let what was admitted finish within the grace period, then commit. */
  private void drain() {
    pending.clear();
    pendingHead = null;
    Collection<PartitionTracker> all = book.all();
    book.awaitSettled(all, System.nanoTime() + grace.toNanos());
    if (!OffsetBook.allSettled(all)) {
      all.forEach(PartitionTracker::cancelQueued);
      book.applyCompletions();
      int left = all.stream().mapToInt(PartitionTracker::outstanding).sum();
      if (left > 0) {
        log.warn("agent '{}': {} event(s) still in flight after the grace period; they are not committed and "
            + "will be delivered again", agentName, left);
      }
    }
    book.commitSync(consumer, all, "on close", CONSUMER_CLOSE_TIMEOUT);
  }

  private void closeConsumer(Throwable failure) {
    KafkaConsumer<byte[], byte[]> current = consumer;
    if (current == null) {
      return;
    }
    if (failure != null) {
      // What completed before the failure may still be committable; if the cluster is the problem, this
      // fails too, and those events are delivered again.
      book.applyCompletions();
      book.commitSync(current, book.all(), "after a failure", FAILED_CLOSE_TIMEOUT);
    }
    try {
      current.close(CloseOptions.timeout(failure == null ? CONSUMER_CLOSE_TIMEOUT : FAILED_CLOSE_TIMEOUT));
    } catch (RuntimeException e) {
      log.warn("agent '{}': the Kafka consumer did not close cleanly: {}", agentName, e.toString());
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    driver.startFrom().timestamp().ifPresent(timestamp -> TimestampStart.seek(consumer, partitions, timestamp));
    for (TopicPartition partition : partitions) {
      book.assigned(partition);
      // Resolve the start position now: with "latest", an event published after this point is read.
      long position = OffsetBook.withoutWakeups(() -> consumer.position(partition));
      log.debug("agent '{}': assigned {} at offset {}", agentName, partition, position);
    }
    if (paused && !partitions.isEmpty()) {
      consumer.pause(partitions);
    }
    if (!partitions.isEmpty()) {
      context.partitionsAssigned(asPartitions(partitions));
    }
    ready.complete(null);
  }

  private static List<Partition> asPartitions(Collection<TopicPartition> partitions) {
    List<Partition> converted = new ArrayList<>(partitions.size());
    for (TopicPartition partition : partitions) {
      converted.add(new Partition(partition.topic(), partition.partition()));
    }
    return converted;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    List<PartitionTracker> revoked = release(partitions);
    if (revoked.isEmpty()) {
      return;
    }
    revoked.forEach(PartitionTracker::cancelQueued);
    // While closing, the drain already waited its grace period; the revoke that leaving the group triggers
    // must not add another wait.
    book.awaitSettled(revoked, System.nanoTime() + (closing ? 0 : revokeTimeoutNanos));
    book.commitSync(consumer, revoked, "on revoke", CONSUMER_CLOSE_TIMEOUT);
    revoked.forEach(PartitionTracker::retire);
    log.debug("agent '{}': revoked {}", agentName, partitions);
    context.partitionsRevoked(asPartitions(partitions));
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    List<PartitionTracker> lost = release(partitions);
    lost.forEach(PartitionTracker::cancelQueued);
    lost.forEach(PartitionTracker::retire);
    log.warn("agent '{}': lost {} without a clean revoke; nothing of them is committed", agentName, partitions);
    context.partitionsLost(asPartitions(partitions));
  }

  /** Forgets the partitions' trackers and fetched records; returns the trackers. */
  private List<PartitionTracker> release(Collection<TopicPartition> partitions) {
    List<PartitionTracker> released = book.remove(partitions);
    Set<TopicPartition> gone = new HashSet<>(partitions);
    pending.removeIf(record -> gone.contains(new TopicPartition(record.topic(), record.partition())));
    pendingHead = null;
    lastTracker = null;
    return released;
  }

}
