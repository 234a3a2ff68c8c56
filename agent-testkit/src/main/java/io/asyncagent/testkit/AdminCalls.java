package io.asyncagent.testkit;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The admin-client calls behind {@link EmbeddedKafka}, each bounded by a timeout and failing with a message that
 * names what it tried to do.
 */
final class AdminCalls {
  private final Admin admin;
  private final Duration timeout;

  AdminCalls(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /** Creates a topic and returns once every partition has a leader. */
  void createTopic(String name, int partitions, short replicationFactor) {
    String what = "create topic '" + name + "'";
    await(admin.createTopics(List.of(new NewTopic(name, partitions, replicationFactor))).all(), what);
    long deadline = System.nanoTime() + timeout.toNanos();
    // createTopics completes when the controller has accepted the topic; the broker learns of it a little later.
    while (!allPartitionsHaveLeaders(name, partitions)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("could not " + what + ": its partitions had no leaders after " + timeout);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /** True once the topic is known with {@code partitions} partitions that all have a leader. */
  boolean allPartitionsHaveLeaders(String topic, int partitions) {
    TopicDescription description;
    try {
      description =
          admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false; // not yet in the broker's metadata
      }
      throw new IllegalStateException("could not describe topic '" + topic + "': " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("could not describe topic '" + topic + "' within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing topic '" + topic + "'", e);
    }
    return description.partitions().size() == partitions
        && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
  }

  Map<Integer, Long> endOffsets(String topic) {
    String what = "read the end offsets of topic '" + topic + "'";
    TopicDescription description = await(admin.describeTopics(List.of(topic)).allTopicNames(), what).get(topic);
    Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
    for (TopicPartitionInfo partition : description.partitions()) {
      request.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResultInfo> offsets = await(admin.listOffsets(request).all(), what);
    Map<Integer, Long> result = new TreeMap<>();
    offsets.forEach((partition, info) -> result.put(partition.partition(), info.offset()));
    return Collections.unmodifiableMap(result);
  }

  Map<Integer, Long> committedOffsets(String groupId, String topic) {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        await(
            admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
            "read the committed offsets of group '" + groupId + "'");
    Map<Integer, Long> result = new TreeMap<>();
    offsets.forEach(
        (partition, offset) -> {
          // The admin client reports partitions without a commit as null entries.
          if (partition.topic().equals(topic) && offset != null) {
            result.put(partition.partition(), offset.offset());
          }
        });
    return Collections.unmodifiableMap(result);
  }

  /** Waits for {@code future}; {@code what} completes "could not ..." in the failure message. */
  <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("could not " + what + " within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }
}
