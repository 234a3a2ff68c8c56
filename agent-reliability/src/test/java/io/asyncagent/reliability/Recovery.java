package io.asyncagent.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Time to recover, as every scenario measures it: from a moment — when a fault that the test undoes was undone, or
 * when a fault that stays (a killed process, a stopped leader) struck — until every partition has had a record that
 * was sent at or after that moment delivered. Fresh records flowing on every partition again is what a user would call
 * recovered; the backlog behind them is accounted for separately, record by record.
 */
final class Recovery {
  private Recovery() {}

  /** The time to recover from {@code fromNanos}, or empty while some partition has had no such delivery. */
  static Optional<Duration> since(long fromNanos, Ledger ledger, SteadyStream stream, int partitions) {
    Map<Integer, Long> firstFresh = new HashMap<>();
    for (Ledger.Attempt delivery : ledger.deliveries()) {
      if (delivery.number() < stream.sent() && stream.sentAtNanos(delivery.number()) >= fromNanos) {
        firstFresh.merge(delivery.partition(), delivery.atNanos(), Math::min);
      }
    }
    if (firstFresh.size() < partitions) {
      return Optional.empty();
    }
    long last = firstFresh.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    return Optional.of(Duration.ofNanos(Math.max(0, last - fromNanos)));
  }

  /**
   * The longest time any partition went without a successful delivery between {@code fromNanos} and {@code toNanos},
   * counting from {@code fromNanos} to its first delivery and from its last delivery to {@code toNanos}.
   */
  static Duration longestPause(Ledger ledger, int partitions, long fromNanos, long toNanos) {
    Map<Integer, List<Long>> times = new HashMap<>();
    for (Ledger.Attempt delivery : ledger.deliveries()) {
      if (delivery.atNanos() >= fromNanos && delivery.atNanos() <= toNanos) {
        times.computeIfAbsent(delivery.partition(), p -> new ArrayList<>()).add(delivery.atNanos());
      }
    }
    long longest = 0;
    for (int partition = 0; partition < partitions; partition++) {
      List<Long> sorted = new ArrayList<>(times.getOrDefault(partition, List.of()));
      Collections.sort(sorted);
      long previous = fromNanos;
      for (long time : sorted) {
        longest = Math.max(longest, time - previous);
        previous = time;
      }
      longest = Math.max(longest, toNanos - previous);
    }
    return Duration.ofNanos(longest);
  }

  /** Formats a time to recover for the report: {@code 0.42 s}, or {@code -} when there is none. */
  static String format(Optional<Duration> recovery) {
    return recovery.map(Recovery::seconds).orElse("-");
  }

  /** {@code 12.34 s}. */
  static String seconds(Duration duration) {
    return String.format(java.util.Locale.ROOT, "%.2f s", duration.toMillis() / 1000.0);
  }
}
