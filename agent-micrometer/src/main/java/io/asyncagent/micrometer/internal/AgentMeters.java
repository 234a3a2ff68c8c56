package io.asyncagent.micrometer.internal;

import io.asyncagent.AgentHealth;
import io.asyncagent.AsyncAgent;
import io.asyncagent.Partition;
import io.asyncagent.micrometer.AgentMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/*
 * A partition's committed offset comes on the agent's dispatch thread, its revocation on the poll thread,
 * and the last commit of a revoked partition may be heard after the revocation: a released partition is
 * remembered until it is assigned again, so that late commit does not bring its gauge back. The partition
 * gauges change only a few times per commit interval; one lock keeps them simple.
 */
/** The meters of one agent: its gauges, and its counters and timers per topic. */
final class AgentMeters {
  private final MeterRegistry registry;
  private final Tags tags;
  private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();
  private final List<Meter> healthGauges = new ArrayList<>();
  private final Object partitionLock = new Object();
  // Guarded by partitionLock.
  private final Map<Partition, CommittedOffset> committed = new HashMap<>();
  private final Set<Partition> released = new HashSet<>();
  private boolean unbound;

  private record CommittedOffset(AtomicLong offset, Gauge gauge) {}

  AgentMeters(MeterRegistry registry, Tags commonTags, AsyncAgent agent, boolean bindGauges) {
    this.registry = registry;
    this.tags = commonTags.and("agent", agent.name());
    this.unbound = !bindGauges;
    if (bindGauges) {
      healthGauges.add(healthGauge(agent, AgentMetrics.IN_FLIGHT_EVENTS, "events",
          "Events with a delivery attempt in flight", AgentHealth::inFlightEvents));
      healthGauges.add(healthGauge(agent, AgentMetrics.BUFFERED_EVENTS, "events",
          "Events admitted and not done: waiting, in flight or waiting for a retry", AgentHealth::bufferedEvents));
      healthGauges.add(healthGauge(agent, AgentMetrics.BUFFERED_BYTES, "bytes",
          "The bytes (bodies, keys, headers) of the events admitted and not done", AgentHealth::bufferedBytes));
      healthGauges.add(healthGauge(agent, AgentMetrics.CONSUMER_LAG, "records",
          "Records in the agent's partitions beyond what it has read; NaN while unknown",
          health -> health.lag().isPresent() ? health.lag().getAsLong() : Double.NaN));
    }
  }

  private Gauge healthGauge(AsyncAgent agent, String name, String unit, String description,
      ToDoubleFunction<AgentHealth> value) {
    return Gauge.builder(name, agent, of -> value.applyAsDouble(of.health()))
        .tags(tags).baseUnit(unit).description(description).register(registry);
  }

  TopicMeters topic(String topic) {
    TopicMeters meters = topics.get(topic);
    return meters != null ? meters : topics.computeIfAbsent(topic, any -> new TopicMeters(registry, tags, topic));
  }

  void assigned(Set<Partition> partitions) {
    synchronized (partitionLock) {
      released.removeAll(partitions);
    }
  }

  void released(Set<Partition> partitions) {
    synchronized (partitionLock) {
      released.addAll(partitions);
      for (Partition partition : partitions) {
        CommittedOffset gone = committed.remove(partition);
        if (gone != null) {
          registry.remove(gone.gauge());
        }
      }
    }
  }

  void committed(Partition partition, long offset) {
    synchronized (partitionLock) {
      if (unbound || released.contains(partition)) {
        return;
      }
      CommittedOffset current = committed.get(partition);
      if (current == null) {
        AtomicLong value = new AtomicLong(offset);
        Gauge gauge = Gauge.builder(AgentMetrics.COMMITTED_OFFSET, value, AtomicLong::get)
            .tags(tags).tag("topic", partition.topic()).tag("partition", Integer.toString(partition.partition()))
            .description("The last offset committed for the partition: the next to read")
            .register(registry);
        committed.put(partition, new CommittedOffset(value, gauge));
      } else {
        current.offset().set(offset);
      }
    }
  }

  /** Removes the gauges: the agent is done, and a new one of the same name may bind its own. */
  void unbindGauges() {
    synchronized (partitionLock) {
      unbound = true;
      healthGauges.forEach(registry::remove);
      committed.values().forEach(offset -> registry.remove(offset.gauge()));
      committed.clear();
    }
  }
}
