package io.asyncagent.examples;

import io.asyncagent.AsyncAgent;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.micrometer.AgentMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/** An agent whose meters go to the host's Micrometer registry. */
public final class Metrics {
  private Metrics() {}

  /** Builds an agent that records its meters in {@code registry}. */
  public static AsyncAgent meteredAgent(MeterRegistry registry, String brokers, String billing) {
    // tag::listener[]
    AsyncAgent agent = AsyncAgent.builder()
        .name("orders")
        .topics("orders")
        .listener(AgentMetrics.listener(registry))   // counters, timers and gauges, tagged agent=orders
        .driver(KafkaDriver.builder().cluster(Cluster.builder().brokers(brokers).build()).build())
        .sink(HttpBackend.builder().host(billing).urlPattern("/orders").build())
        .build();
    // end::listener[]
    return agent;
  }
}
