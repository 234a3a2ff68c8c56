package io.asyncagent.kafka.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code StartPosition.timestamp}: Kafka's {@code auto.offset.reset} knows only the ends of a partition,
 * so partitions the group never committed are sought to the timestamp when they are assigned, on the poll
 * thread, before the first fetch.
 */
final class TimestampStart {
  private TimestampStart() {}

  /** Starts each partition the group never committed at the first record at or after {@code timestamp}. */
  static void seek(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, Instant timestamp) {
    Map<TopicPartition, OffsetAndMetadata> committed =
        OffsetBook.withoutWakeups(() -> consumer.committed(new HashSet<>(partitions)));
    long millis = searchMillis(timestamp);
    Map<TopicPartition, Long> search = new HashMap<>();
    for (TopicPartition partition : partitions) {
      if (committed.get(partition) == null) {
        search.put(partition, millis);
      }
    }
    if (search.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndTimestamp> found = OffsetBook.withoutWakeups(() -> consumer.offsetsForTimes(search));
    List<TopicPartition> noneLater = new ArrayList<>();
    search.keySet().forEach(partition -> {
      OffsetAndTimestamp offset = found.get(partition);
      if (offset == null) {
        noneLater.add(partition);
      } else {
        consumer.seek(partition, offset.offset());
      }
    });
    if (!noneLater.isEmpty()) {
      consumer.seekToEnd(noneLater);
    }
  }

  /**
   * Kafka stamps records in whole milliseconds: a record stamped in the millisecond a sub-millisecond
   * instant falls in is before that instant, so the search starts at the next millisecond. An instant before
   * the epoch precedes every record (Kafka refuses negative targets): the search starts at 0.
   */
  static long searchMillis(Instant timestamp) {
    long millis = timestamp.getEpochSecond() * 1000 + timestamp.getNano() / 1_000_000;
    if (timestamp.getNano() % 1_000_000 != 0) {
      millis++;
    }
    return Math.max(0, millis);
  }
}
