package io.asyncagent.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentListener;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.Partition;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Agents joining and leaving a consumer group: what the group commits has always been delivered, and static members
 * ({@code instanceId}) come back without disturbing the others.
 */
@WithEmbeddedKafka
class GroupMembershipIT {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final int PARTITIONS = 6;
  private static final long COMMIT_SAMPLE_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  @Test
  void twoAgentsOfOneGroupAsTheSecondJoinsMidStreamAndTheFirstLeavesDeliverEveryRecordAndCommitNothingUndelivered(
      EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("membership");
    String group = EmbeddedKafka.uniqueGroup("membership");
    kafka.createTopic(topic, PARTITIONS);
    NumberedRecords base = NumberedRecords.forTopic(topic).distinctKeys(100);
    NumberedRecords beforeJoin = base.count(3_000);
    NumberedRecords whileShared = base.startAt(3_000).count(3_000);
    NumberedRecords afterLeave = base.startAt(6_000).count(3_000);
    Deliveries deliveries = new Deliveries();
    Callbacks firstCallbacks = new Callbacks();
    Callbacks secondCallbacks = new Callbacks();
    ScheduledExecutorService completer = Executors.newScheduledThreadPool(2);
    // Each delivery completes 0 to 3 ms after it starts, on one of two threads: deliveries finish out of order.
    Executor jitter =
        task -> completer.schedule(task, ThreadLocalRandom.current().nextInt(3_000), TimeUnit.MICROSECONDS);
    AsyncAgent first =
        membershipAgent(kafka, topic, group, "first", deliveries.sink("first", jitter), firstCallbacks);
    AsyncAgent second =
        membershipAgent(kafka, topic, group, "second", deliveries.sink("second", jitter), secondCallbacks);
    CommitSampler sampler = new CommitSampler(kafka, group, topic, deliveries);
    Thread samplerThread = new Thread(sampler, "commit-sampler");
    List<Callback> firstSeen;
    List<Callback> secondSeen;

    try (first; second) {
      first.start(); // topic empty and group new: it starts at offset 0 of every partition
      samplerThread.start();
      kafka.produce(beforeJoin.records());
      awaitDistinct(deliveries, 1_000);
      second.start(); // mid-stream: the first agent has most of the first batch still to deliver
      kafka.produce(whileShared.records());
      awaitDistinct(deliveries, 4_000);
      firstSeen = firstCallbacks.list();
      first.close(); // mid-stream again: the second agent takes over the first one's partitions
      kafka.produce(afterLeave.records());
      awaitDistinct(deliveries, 9_000);
      secondSeen = secondCallbacks.list();
      second.close();
    } finally {
      sampler.stop();
      TestThreads.join(samplerThread, WAIT);
      completer.shutdown();
    }
    sampler.sample(); // and once more after both agents closed

    assertThat(sampler.violations.get()).as("commits ahead of delivery; the first: %s", sampler.firstViolations)
        .isZero();
    assertThat(sampler.samples.get()).as("commit samples").isGreaterThanOrEqualTo(20);
    Set<String> expected = new HashSet<>(beforeJoin.values());
    expected.addAll(whileShared.values());
    expected.addAll(afterLeave.values());
    assertThat(deliveries.bodies()).as("records delivered (%d deliveries in all)", deliveries.count())
        .isEqualTo(expected);
    assertThat(deliveries.perAgent()).as("deliveries per agent").containsOnlyKeys("first", "second");
    Map<Integer, Long> endOffsets = kafka.endOffsets(topic);
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(endOffsets);
    endOffsets.forEach((partition, end) -> assertThat(deliveries.firstUndelivered(partition))
        .as("first offset of partition %d not delivered", partition).isEqualTo(end));

    // Eager RANGE rebalances: the first agent has all six, gives them up when the second joins, and each gets three;
    // when the first leaves the second gives its three up and gets all six. (Each list ends before its agent closes.)
    Set<Integer> all = partitionNumbers(0, PARTITIONS);
    assertThat(firstSeen).as("the first agent's callbacks").hasSize(3);
    assertThat(secondSeen).as("the second agent's callbacks").hasSize(3);
    Set<Integer> firstShare = firstSeen.get(2).partitions();
    Set<Integer> secondShare = secondSeen.get(0).partitions();
    assertThat(firstSeen).containsExactly(
        new Callback("assigned", all), new Callback("revoked", all), new Callback("assigned", firstShare));
    assertThat(secondSeen).containsExactly(
        new Callback("assigned", secondShare), new Callback("revoked", secondShare), new Callback("assigned", all));
    assertThat(firstShare).hasSize(3).doesNotContainAnyElementsOf(secondShare);
    assertThat(secondShare).hasSize(3);
  }

  @Test
  void withInstanceIdsAMemberRestartedWithinTheSessionTimeoutGetsItsPartitionsBackAndTheOtherSeesNoRebalance(
      EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("static");
    String group = EmbeddedKafka.uniqueGroup("static");
    kafka.createTopic(topic, PARTITIONS);
    Deliveries deliveries = new Deliveries();
    Callbacks aCallbacks = new Callbacks();
    Callbacks bCallbacks = new Callbacks();
    Callbacks restartedCallbacks = new Callbacks();
    AsyncAgent a = staticAgent(kafka, topic, group, "static-a", "a", deliveries, aCallbacks);
    AsyncAgent b = staticAgent(kafka, topic, group, "static-b", "b", deliveries, bCallbacks);
    AsyncAgent restarted = staticAgent(kafka, topic, group, "static-a-restarted", "a", deliveries,
        restartedCallbacks);
    Set<Integer> all = partitionNumbers(0, PARTITIONS);

    try (a; b; restarted) {
      a.start();
      b.start();
      Await.until(WAIT, () -> stable(aCallbacks, bCallbacks, all),
          () -> "a stable split of " + all + "; a saw " + aCallbacks.list() + ", b saw " + bCallbacks.list());
      Set<Integer> aShare = aCallbacks.current();
      Set<Integer> bShare = bCallbacks.current();
      int bSeenAtStable = bCallbacks.list().size();
      kafka.produce(spread(topic, 0, 600));
      awaitDistinct(deliveries, 600);

      long closedAt = System.nanoTime();
      a.close(); // a static member that closes stays in the group until its session times out
      restarted.start();
      long rejoinedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt);
      kafka.produce(spread(topic, 600, 600));
      awaitDistinct(deliveries, 1_200);

      assertThat(bCallbacks.list().subList(bSeenAtStable, bCallbacks.list().size()))
          .as("b's callbacks after the split of a=%s b=%s, with a back after %d ms", aShare, bShare,
              rejoinedAfterMillis)
          .isEmpty();
      assertThat(restartedCallbacks.list()).as("the restarted a's callbacks")
          .containsExactly(new Callback("assigned", aShare));
      assertThat(deliveries.partitionsOf("static-a-restarted")).as("partitions the restarted a delivered from")
          .isEqualTo(aShare);
      assertThat(deliveries.partitionsOf("static-a")).as("partitions a delivered from").isEqualTo(aShare);
      assertThat(deliveries.partitionsOf("static-b")).as("partitions b delivered from").isEqualTo(bShare);
    }

    Set<String> expected = IntStream.range(0, 1_200).mapToObj(i -> NumberedRecords.valueOf(topic, i))
        .collect(Collectors.toSet());
    assertThat(deliveries.bodies()).as("records delivered").isEqualTo(expected);
    assertThat(deliveries.count()).as("deliveries: a committed what it delivered before closing").isEqualTo(1_200);
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
  }

  private static AsyncAgent membershipAgent(EmbeddedKafka kafka, String topic, String group, String name,
      BackendSink sink, Callbacks callbacks) {
    return AsyncAgent.builder()
        .name(group + "-" + name)
        .topics(topic)
        .workers(8)
        .timeout(Duration.ofSeconds(30))
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.of(group))
            .commitInterval(Duration.ofMillis(100)) // many commits, many chances to get ahead of delivery
            .build())
        .listener(callbacks)
        .sink(sink)
        .build();
  }

  private static AsyncAgent staticAgent(EmbeddedKafka kafka, String topic, String group, String name,
      String instanceId, Deliveries deliveries, Callbacks callbacks) {
    return AsyncAgent.builder()
        .name(name + "-" + group)
        .topics(topic)
        .workers(8)
        .timeout(Duration.ofSeconds(30))
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.builder().id(group).instanceId(instanceId)
                .sessionTimeout(Duration.ofSeconds(30))
                .heartbeatInterval(Duration.ofSeconds(1))
                .build())
            .build())
        .listener(callbacks)
        .sink(deliveries.sink(name, Runnable::run))
        .build();
  }

  /** Records {@code first} to {@code first + count - 1}, round-robin over the partitions. */
  private static List<ProducerRecord<byte[], byte[]>> spread(String topic, int first, int count) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) {
      records.add(new ProducerRecord<>(topic, i % PARTITIONS, null,
          NumberedRecords.valueOf(topic, i).getBytes(UTF_8)));
    }
    return records;
  }

  private static boolean stable(Callbacks a, Callbacks b, Set<Integer> all) {
    Set<Integer> aShare = a.current();
    Set<Integer> bShare = b.current();
    Set<Integer> union = new TreeSet<>(aShare);
    union.addAll(bShare);
    return !aShare.isEmpty() && !bShare.isEmpty() && union.equals(all) && aShare.size() + bShare.size() == all.size();
  }

  private static Set<Integer> partitionNumbers(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
  }

  private static void awaitDistinct(Deliveries deliveries, int count) {
    Await.until(WAIT, () -> deliveries.bodies().size() >= count,
        () -> count + " distinct records delivered, got " + deliveries.bodies().size());
  }

  private record Delivery(String agent, int partition, long offset, String body) {}

  /** What every sink of a test delivered, by record and by partition. */
  private static final class Deliveries {
    private final Queue<Delivery> all = new ConcurrentLinkedQueue<>();
    private final Set<String> bodies = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Set<Long>> offsets = new ConcurrentHashMap<>();

    /** A sink that records each event on {@code executor}, then completes its stage. */
    BackendSink sink(String agent, Executor executor) {
      return event -> CompletableFuture.runAsync(() -> {
        String body = event.bodyAsString();
        offsets.computeIfAbsent(event.partition(), p -> ConcurrentHashMap.newKeySet()).add(event.offset());
        bodies.add(body);
        all.add(new Delivery(agent, event.partition(), event.offset(), body));
      }, executor);
    }

    Set<String> bodies() {
      return bodies;
    }

    int count() {
      return all.size();
    }

    boolean delivered(int partition, long offset) {
      Set<Long> delivered = offsets.get(partition);
      return delivered != null && delivered.contains(offset);
    }

    long firstUndelivered(int partition) {
      long offset = 0;
      while (delivered(partition, offset)) {
        offset++;
      }
      return offset;
    }

    Map<String, Long> perAgent() {
      return all.stream().collect(Collectors.groupingBy(Delivery::agent, Collectors.counting()));
    }

    Set<Integer> partitionsOf(String agent) {
      return all.stream().filter(d -> d.agent().equals(agent)).map(Delivery::partition)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /**
   * Reads the group's committed offsets about every 50 ms, then what was delivered, and notes every committed offset
   * that is past an offset not delivered yet. Reading the commits first makes a late delivery never hide a violation:
   * deliveries only grow.
   */
  private static final class CommitSampler implements Runnable {
    private final EmbeddedKafka kafka;
    private final String group;
    private final String topic;
    private final Deliveries deliveries;
    private final long[] verifiedUpTo = new long[PARTITIONS]; // offsets below are known delivered
    private final AtomicInteger violations = new AtomicInteger();
    private final Queue<String> firstViolations = new ConcurrentLinkedQueue<>(); // up to 10
    private final AtomicInteger samples = new AtomicInteger();
    private volatile boolean stopped;

    CommitSampler(EmbeddedKafka kafka, String group, String topic, Deliveries deliveries) {
      this.kafka = kafka;
      this.group = group;
      this.topic = topic;
      this.deliveries = deliveries;
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void run() {
      while (!stopped) {
        sample();
        LockSupport.parkNanos(COMMIT_SAMPLE_PERIOD_NANOS);
      }
    }

    /** Takes one sample; called by the sampler thread, and by the test after joining it. */
    void sample() {
      Map<Integer, Long> committed = kafka.committedOffsets(group, topic);
      int sample = samples.incrementAndGet();
      committed.forEach((partition, offset) -> {
        while (verifiedUpTo[partition] < offset && deliveries.delivered(partition, verifiedUpTo[partition])) {
          verifiedUpTo[partition]++;
        }
        if (verifiedUpTo[partition] < offset && violations.getAndIncrement() < 10) {
          firstViolations.add("sample " + sample + ": partition " + partition + " committed at " + offset
              + " but offset " + verifiedUpTo[partition] + " was not delivered");
        }
      });
    }
  }

  private record Callback(String kind, Set<Integer> partitions) {}

  /** Records an agent's partition callbacks, partitions as sorted numbers, and folds them into its current share. */
  private static final class Callbacks implements AgentListener {
    private final Queue<Callback> seen = new ConcurrentLinkedQueue<>();

    @Override
    public void partitionsAssigned(AsyncAgent agent, Set<Partition> partitions) {
      seen.add(new Callback("assigned", numbers(partitions)));
    }

    @Override
    public void partitionsRevoked(AsyncAgent agent, Set<Partition> partitions) {
      seen.add(new Callback("revoked", numbers(partitions)));
    }

    @Override
    public void partitionsLost(AsyncAgent agent, Set<Partition> partitions) {
      seen.add(new Callback("lost", numbers(partitions)));
    }

    List<Callback> list() {
      return List.copyOf(seen);
    }

    Set<Integer> current() {
      Set<Integer> current = new TreeSet<>();
      for (Callback callback : seen) {
        if (callback.kind().equals("assigned")) {
          current.addAll(callback.partitions());
        } else {
          current.removeAll(callback.partitions());
        }
      }
      return current;
    }

    private static Set<Integer> numbers(Set<Partition> partitions) {
      return partitions.stream().map(Partition::partition).collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
