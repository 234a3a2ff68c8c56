package io.asyncagent.kafka;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.Event;
import io.asyncagent.testkit.EmbeddedKafka;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/** The agents the Kafka ITs run: one group per agent, the key under {@code Message-Id}. */
final class TestAgents {
  private TestAgents() {}

  /**
   * An agent of {@code group} on the embedded broker. Deliveries get a generous timeout: in KrakenD's mode
   * a timed-out delivery is given up, and on a loaded CI machine the default 2 s could drop an event a test
   * means to count.
   */
  static AsyncAgent.Builder agent(EmbeddedKafka kafka, String name, String group, BackendSink sink,
      String... topics) {
    return agent(kafka, name, Group.of(group), sink, topics);
  }

  /** As {@link #agent(EmbeddedKafka, String, String, BackendSink, String...)}, with the group's settings. */
  static AsyncAgent.Builder agent(EmbeddedKafka kafka, String name, Group group, BackendSink sink,
      String... topics) {
    return AsyncAgent.builder()
        .name(name)
        .topics(topics)
        .workers(8)
        .timeout(Duration.ofSeconds(30))
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(group)
            .keyMeta("Message-Id")
            .build())
        .sink(sink);
  }

  /** A sink that adds every event to {@code events} and succeeds at once. */
  static BackendSink collectingInto(Collection<Event> events) {
    return event -> {
      events.add(event);
      return CompletableFuture.completedFuture(null);
    };
  }
}
