package io.asyncagent.examples;

import io.asyncagent.AsyncAgent;
import io.asyncagent.FailurePolicy;
import io.asyncagent.Ordering;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDeadLetters;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.StartPosition;
import java.time.Duration;

/**
 * An agent that must not lose an order: each customer's orders in sequence, failed deliveries retried, and
 * what cannot be delivered parked in a dead-letter topic for someone to look at.
 */
public final class DeadLetters {
  private DeadLetters() {}

  /** Builds the agent: orders to billing, dead letters to {@code orders.dlq}. */
  public static AsyncAgent ordersAgent(String brokers, String billing) {
    // tag::dead-letters[]
    Cluster cluster = Cluster.builder().brokers(brokers).build();
    AsyncAgent agent = AsyncAgent.builder()
        .name("orders")
        .topics("orders")
        .workers(32)
        .ordering(Ordering.KEY)                         // each customer's orders one at a time, in order
        .onFailure(FailurePolicy.retry()
            .maxAttempts(5)                             // 503, 429, timeouts: up to 5 attempts
            .backoff(Duration.ofMillis(200), Duration.ofSeconds(10))
            .deadLetterTo(KafkaDeadLetters.topic("orders.dlq").cluster(cluster).build())
            .build())
        .driver(KafkaDriver.builder()
            .cluster(cluster)
            .group(Group.of("billing-agent"))
            .startFrom(StartPosition.earliest())        // a new group reads what is already there
            .build())
        .sink(HttpBackend.builder()
            .host(billing)
            .urlPattern("/orders")
            .forwardCoordinates(true)                   // X-Kafka-Topic/-Partition/-Offset: idempotent writes
            .build())
        .build();
    // end::dead-letters[]
    return agent;
  }
}
