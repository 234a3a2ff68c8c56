package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Agents of one group share and hand over partitions; what one committed, the next does not repeat. */
@WithEmbeddedKafka
class RebalanceIT {
  private static final Duration WAIT = Duration.ofMinutes(1);

  private record Delivery(String agent, String body) {}

  @ParameterizedTest
  @EnumSource(RebalanceStrategy.class)
  void partitionsMoveBetweenAgentsOfAGroupWithoutLossOrDuplicates(RebalanceStrategy strategy, EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("shared");
    Group group = Group.builder().id(EmbeddedKafka.uniqueGroup("shared")).rebalanceStrategies(strategy).build();
    kafka.createTopic(topic, 6);
    Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    NumberedRecords beforeJoin = NumberedRecords.forTopic(topic).count(2_000).distinctKeys(100);
    NumberedRecords whileShared = NumberedRecords.forTopic(topic).startAt(2_000).count(2_000).distinctKeys(100);
    NumberedRecords afterLeave = NumberedRecords.forTopic(topic).startAt(4_000).count(1_000).distinctKeys(100);

    AsyncAgent first = agent(kafka, topic, group, "first", deliveries);
    AsyncAgent second = agent(kafka, topic, group, "second", deliveries);
    first.start();
    kafka.produce(beforeJoin.records());
    second.start(); // joining makes the first agent revoke its partitions and commit what it processed
    kafka.produce(whileShared.records());
    awaitDistinct(deliveries, 4_000);
    first.close(); // the second agent takes every partition from the first one's commits
    kafka.produce(afterLeave.records());
    awaitDistinct(deliveries, 5_000);
    second.close();

    Set<String> expected = new HashSet<>(beforeJoin.values());
    expected.addAll(whileShared.values());
    expected.addAll(afterLeave.values());
    List<String> bodies = deliveries.stream().map(Delivery::body).toList();
    assertThat(new HashSet<>(bodies)).isEqualTo(expected);
    assertThat(bodies).as("duplicates").hasSize(5_000);
    Map<String, Long> perAgent = deliveries.stream().collect(Collectors.groupingBy(Delivery::agent, Collectors.counting()));
    assertThat(perAgent).as("both agents took part").containsOnlyKeys("first", "second");
    assertThat(kafka.committedOffsets(group.id(), topic)).isEqualTo(kafka.endOffsets(topic));
  }

  private static AsyncAgent agent(EmbeddedKafka kafka, String topic, Group group, String name,
      Queue<Delivery> deliveries) {
    return TestAgents.agent(kafka, name, group,
        event -> CompletableFuture.runAsync(() -> deliveries.add(new Delivery(name, event.bodyAsString()))), topic)
        .build();
  }

  private static void awaitDistinct(Queue<Delivery> deliveries, int count) {
    Function<Queue<Delivery>, Integer> distinct = queue -> queue.stream().map(Delivery::body).collect(Collectors.toSet()).size();
    Await.until(WAIT, () -> distinct.apply(deliveries) >= count,
        () -> count + " distinct deliveries, got " + distinct.apply(deliveries));
  }
}
