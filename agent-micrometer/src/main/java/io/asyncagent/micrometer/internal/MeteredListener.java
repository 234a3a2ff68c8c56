package io.asyncagent.micrometer.internal;

import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryFailure;
import io.asyncagent.Event;
import io.asyncagent.Partition;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/*
 * Per event, a listener call costs two map look-ups (the agent, then the topic) and the meters' own
 * updates: meters are registered once and kept, never looked up in the registry on the way. An agent's
 * gauges live from its first call to its terminal state; a call that arrives after that (a late commit,
 * say) still counts, but binds no gauge to a finished agent.
 */
/** The listener of {@code AgentMetrics}: turns an agent's calls into meters. */
public final class MeteredListener implements AgentListener {
  /** The tag names the meters use themselves. */
  public static final Set<String> OWN_TAGS = Set.of("agent", "topic", "partition", "reason", "next", "outcome");

  private final MeterRegistry registry;
  private final Tags commonTags;
  private final Clock clock;
  private final Map<AsyncAgent, AgentMeters> agents = new ConcurrentHashMap<>();

  /** Creates a listener that registers meters in {@code registry}, each tagged with {@code commonTags}. */
  public MeteredListener(MeterRegistry registry, Tags commonTags) {
    this.registry = registry;
    this.commonTags = commonTags;
    this.clock = registry.config().clock();
  }

  private AgentMeters meters(AsyncAgent agent) {
    AgentMeters meters = agents.get(agent);
    if (meters != null) {
      return meters;
    }
    if (agent.state().isTerminal()) {
      return new AgentMeters(registry, commonTags, agent, false);
    }
    return agents.computeIfAbsent(agent, any -> new AgentMeters(registry, commonTags, agent, true));
  }

  @Override
  public void stateChanged(AsyncAgent agent, AgentState from, AgentState to) {
    if (to.isTerminal()) {
      AgentMeters meters = agents.remove(agent);
      if (meters != null) {
        meters.unbindGauges();
      }
    } else {
      meters(agent);
    }
  }

  @Override
  public void partitionsAssigned(AsyncAgent agent, Set<Partition> partitions) {
    meters(agent).assigned(partitions);
  }

  @Override
  public void partitionsRevoked(AsyncAgent agent, Set<Partition> partitions) {
    meters(agent).released(partitions);
  }

  @Override
  public void partitionsLost(AsyncAgent agent, Set<Partition> partitions) {
    meters(agent).released(partitions);
  }

  @Override
  public void received(AsyncAgent agent, Event event) {
    meters(agent).topic(event.topic()).received.increment();
  }

  @Override
  public void delivered(AsyncAgent agent, DeliveryAttempt attempt) {
    Event event = attempt.event();
    TopicMeters topic = meters(agent).topic(event.topic());
    topic.delivered.increment();
    topic.succeededAttempts.record(attempt.took());
    long stamped = event.timestampMillis();
    if (stamped > 0) { // 0: the source stamps no time
      topic.latency.record(Math.max(0, clock.wallTime() - stamped), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void failed(AsyncAgent agent, DeliveryAttempt attempt, DeliveryFailure failure) {
    TopicMeters topic = meters(agent).topic(attempt.event().topic());
    topic.failedAttempts.record(attempt.took());
    topic.failed(failure).increment();
  }

  @Override
  public void retryScheduled(AsyncAgent agent, Event event, int attempt, Duration delay) {
    meters(agent).topic(event.topic()).retried.increment();
  }

  @Override
  public void deadLettered(AsyncAgent agent, Event event, DeliveryFailure failure) {
    meters(agent).topic(event.topic()).deadLettered.increment();
  }

  @Override
  public void committed(AsyncAgent agent, Partition partition, long offset) {
    meters(agent).committed(partition, offset);
  }

  @Override
  public String toString() {
    return "AgentMetrics.listener{" + registry.getClass().getSimpleName() + ", tags " + commonTags + "}";
  }
}
