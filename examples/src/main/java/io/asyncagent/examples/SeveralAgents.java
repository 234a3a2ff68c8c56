package io.asyncagent.examples;

import io.asyncagent.AgentGroup;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackoffStrategy;
import io.asyncagent.GroupHealth;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.RebalanceStrategy;
import java.time.Duration;

/** Two agents run as one group, with a reconnection policy, a rate limit, and a health document. */
public final class SeveralAgents {
  private SeveralAgents() {}

  /** Builds the group: stock ticks to pricing, orders to billing. */
  public static AgentGroup agents(String brokers, String pricing, String billing) {
    Cluster cluster = Cluster.builder().brokers(brokers).build();
    // tag::agents[]
    AsyncAgent stocks = AsyncAgent.builder()
        .name("stocks")
        .topics("stocks")
        .workers(20)
        .maxRate(50)                                    // consumer.max_rate: 50 events/s for the agent
        .connection(c -> c.maxRetries(10)               // connection.max_retries
            .backoff(BackoffStrategy.EXPONENTIAL_JITTER)  // connection.backoff_strategy
            .maxBackoff(Duration.ofSeconds(30))
            .healthInterval(Duration.ofSeconds(10)))    // connection.health_interval
        .driver(KafkaDriver.builder()
            .cluster(cluster)
            .group(Group.builder().id("stocks-agent")
                .rebalanceStrategies(RebalanceStrategy.COOPERATIVE_STICKY)
                .build())
            .build())
        .sink(HttpBackend.builder().host(pricing).urlPattern("/ticks").build())
        .build();
    AsyncAgent orders = AsyncAgent.builder()
        .name("orders")
        .topics("orders")
        .workers(8)
        .driver(KafkaDriver.builder().cluster(cluster).group(Group.of("orders-agent")).build())
        .sink(HttpBackend.builder().host(billing).urlPattern("/orders").build())
        .build();
    AgentGroup agents = AgentGroup.of(stocks, orders);
    // end::agents[]
    return agents;
  }

  /** What a health endpoint answers: 200 or 503, and KrakenD's document. */
  public record HealthResponse(int status, String body) {}

  /** Renders the group's health for a {@code /__health} endpoint. */
  public static HealthResponse health(AgentGroup agents) {
    // tag::health[]
    GroupHealth health = agents.health();
    int status = health.isHealthy() ? 200 : 503;  // KrakenD always answers 200
    String body = health.toJson();                // {"status":"ok","agents":{"stocks":"…"},"now":"…"}
    // end::health[]
    return new HealthResponse(status, body);
  }
}
