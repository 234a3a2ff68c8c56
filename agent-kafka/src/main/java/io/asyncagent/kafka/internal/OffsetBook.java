package io.asyncagent.kafka.internal;

import io.asyncagent.Partition;
import io.asyncagent.spi.DriverContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The session's offset bookkeeping: a tracker per assigned partition, the queue through which worker
 * threads report completions, and the commits. Everything but processed() runs on the poll thread, so the
 * trackers need no locks; processed() only queues, and unparks the poll thread when it is waiting for
 * completions (on revoke and on close). Each successful commit is reported to the agent per partition that
 * it moved (the agent hands the report to its listener on a thread of its own).
 */
/** The offset trackers of one session's partitions, and their commits. */
final class OffsetBook {
  private static final Logger log = LoggerFactory.getLogger(OffsetBook.class);

  private final String agentName;
  private final DriverContext context;
  private final Thread pollThread;
  private final Map<TopicPartition, PartitionTracker> trackers = new HashMap<>();
  private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
  private volatile boolean waitingForCompletions;

  OffsetBook(DriverContext context, Thread pollThread) {
    this.agentName = context.agentName();
    this.context = context;
    this.pollThread = pollThread;
  }

  /** Starts tracking a newly assigned partition. */
  void assigned(TopicPartition partition) {
    trackers.put(partition, new PartitionTracker(partition));
  }

  /** Stops tracking partitions taken away, and returns their trackers. */
  List<PartitionTracker> remove(Collection<TopicPartition> partitions) {
    List<PartitionTracker> removed = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      PartitionTracker tracker = trackers.remove(partition);
      if (tracker != null) {
        removed.add(tracker);
      }
    }
    return removed;
  }

  /** Returns the tracker of a partition, or null when the session does not own it. */
  PartitionTracker tracker(TopicPartition partition) {
    return trackers.get(partition);
  }

  /** Returns the trackers of every owned partition; a live view. */
  Collection<PartitionTracker> all() {
    return trackers.values();
  }

  /** Runs on the thread that completed an event's pipeline. */
  void processed(PartitionTracker tracker, long sequence) {
    completions.add(new Completion(tracker, sequence));
    if (waitingForCompletions) {
      LockSupport.unpark(pollThread);
    }
  }

  /** Applies the completions reported so far to their trackers. */
  void applyCompletions() {
    for (Completion completion = completions.poll(); completion != null; completion = completions.poll()) {
      completion.tracker.completed(completion.sequence);
    }
  }

  /** Waits, up to {@code deadline}, until every event of {@code of} has completed or been withdrawn. */
  void awaitSettled(Collection<PartitionTracker> of, long deadline) {
    applyCompletions();
    while (!allSettled(of) && System.nanoTime() - deadline < 0) {
      waitingForCompletions = true;
      try {
        if (completions.isEmpty()) {
          LockSupport.parkNanos(this, Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)));
        }
      } finally {
        waitingForCompletions = false;
      }
      applyCompletions();
    }
  }

  static boolean allSettled(Collection<PartitionTracker> of) {
    for (PartitionTracker tracker : of) {
      if (!tracker.settled()) {
        return false;
      }
    }
    return true;
  }

  /** Commits, without waiting, what moved since the last commit. */
  void commitAsync(Consumer<?, ?> consumer) {
    Map<TopicPartition, OffsetAndMetadata> offsets = uncommitted(trackers.values());
    if (offsets.isEmpty()) {
      return;
    }
    consumer.commitAsync(offsets, (committed, failure) -> {
      if (failure != null) {
        log.warn("agent '{}': commit of {} failed; it is retried at the next interval: {}", agentName,
            describe(offsets), failure.toString());
        return;
      }
      committed.forEach((partition, offset) -> {
        PartitionTracker tracker = trackers.get(partition);
        if (tracker != null) { // else revoked since: its commit on revoke was the last word
          tracker.markCommitted(offset.offset());
          report(partition, offset.offset());
        }
      });
    });
  }

  /** Commits what moved of {@code of}, waiting up to {@code timeout}; a failure is logged, not thrown. */
  void commitSync(Consumer<?, ?> consumer, Collection<PartitionTracker> of, String when, Duration timeout) {
    Map<TopicPartition, OffsetAndMetadata> offsets = uncommitted(of);
    if (offsets.isEmpty()) {
      return;
    }
    try {
      withoutWakeups(() -> {
        consumer.commitSync(offsets, timeout);
        return null;
      });
      for (PartitionTracker tracker : of) {
        OffsetAndMetadata offset = offsets.get(tracker.partition());
        if (offset != null) {
          tracker.markCommitted(offset.offset());
          report(tracker.partition(), offset.offset());
        }
      }
      log.debug("agent '{}': committed {} {}", agentName, describe(offsets), when);
    } catch (RuntimeException e) {
      log.warn("agent '{}': commit of {} {} failed; those events will be delivered again: {}", agentName,
          describe(offsets), when, e.toString());
    }
  }

  private void report(TopicPartition partition, long offset) {
    context.committed(new Partition(partition.topic(), partition.partition()), offset);
  }

  /** Calls a blocking consumer method, retrying when a wake-up meant for poll() interrupts it. */
  static <T> T withoutWakeups(Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (WakeupException hint) {
        if (attempt == 3) {
          throw hint;
        }
      }
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> uncommitted(Collection<PartitionTracker> of) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (PartitionTracker tracker : of) {
      tracker.uncommitted().ifPresent(offset -> offsets.put(tracker.partition(), new OffsetAndMetadata(offset)));
    }
    return offsets;
  }

  private static String describe(Map<TopicPartition, OffsetAndMetadata> offsets) {
    StringBuilder out = new StringBuilder("[");
    offsets.forEach((partition, offset) -> {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(partition).append('@').append(offset.offset());
    });
    return out.append(']').toString();
  }

  private record Completion(PartitionTracker tracker, long sequence) {}
}
