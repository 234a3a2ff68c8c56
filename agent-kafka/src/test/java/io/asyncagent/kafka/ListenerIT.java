package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentListener;
import io.asyncagent.AsyncAgent;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryFailure;
import io.asyncagent.Event;
import io.asyncagent.Partition;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What an {@link AgentListener} hears from an agent reading a real broker: every event, and every commit. */
@WithEmbeddedKafka
class ListenerIT {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final int RECORDS = 3_000;

  /** Counts per-event calls, keeps each partition's committed offsets in order, and the threads of commits. */
  private static final class Counting implements AgentListener {
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final Set<String> receivedValues = ConcurrentHashMap.newKeySet();
    final Map<Integer, List<Long>> commits = new ConcurrentHashMap<>();
    final Set<String> commitThreads = ConcurrentHashMap.newKeySet();

    @Override
    public void received(AsyncAgent agent, Event event) {
      received.incrementAndGet();
      receivedValues.add(event.bodyAsString());
    }

    @Override
    public void delivered(AsyncAgent agent, DeliveryAttempt attempt) {
      delivered.incrementAndGet();
    }

    @Override
    public void failed(AsyncAgent agent, DeliveryAttempt attempt, DeliveryFailure failure) {
      failed.incrementAndGet();
    }

    @Override
    public void committed(AsyncAgent agent, Partition partition, long offset) {
      commitThreads.add(Thread.currentThread().getName());
      commits.computeIfAbsent(partition.partition(), any -> new CopyOnWriteArrayList<>()).add(offset);
    }

    /** Returns the last offset committed per partition. */
    Map<Integer, Long> lastCommitted() {
      Map<Integer, Long> last = new ConcurrentHashMap<>();
      commits.forEach((partition, offsets) -> last.put(partition, offsets.get(offsets.size() - 1)));
      return last;
    }
  }

  @Test
  void hearsEveryRecordReceivedAndDeliveredOnceAndCommitsThatReachTheEndOfEveryPartition(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("listener");
    String group = EmbeddedKafka.uniqueGroup("listener");
    kafka.createTopic(topic, 3);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(RECORDS).distinctKeys(30);
    Counting listener = new Counting();
    Map<Integer, Long> end;

    try (AsyncAgent agent = TestAgents.agent(kafka, group, group, event -> CompletableFuture.completedFuture(null),
        topic).listener(listener).build()) {
      agent.start();
      kafka.produce(batch.records());
      end = kafka.endOffsets(topic);
      Await.until(WAIT, () -> listener.lastCommitted().equals(end),
          () -> "commits " + listener.lastCommitted() + " to reach the end offsets " + end);

      assertThat(listener.received.get()).isEqualTo(RECORDS);
      assertThat(listener.delivered.get()).isEqualTo(RECORDS);
      assertThat(listener.failed.get()).isZero();
      assertThat(listener.receivedValues).isEqualTo(batch.values());
      assertThat(listener.commits.values()).allSatisfy(offsets -> assertThat(offsets).isSorted());
      assertThat(listener.commitThreads).containsExactly("asyncagent-" + group + "-dispatch");
    }
    assertThat(end.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(RECORDS);
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(end);
    assertThat(listener.lastCommitted()).isEqualTo(end);
  }
}
