package io.asyncagent.internal;

import io.asyncagent.Partition;
import io.asyncagent.spi.Dispatcher;
import io.asyncagent.spi.DriverContext;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.IntPredicate;

/** One session's view of its agent; what a session that is no longer current reports is dropped. */
final class SessionContext implements DriverContext {
  private final int attempt;
  private final String agentName;
  private final List<String> topics;
  private final DefaultDispatcher dispatcher;
  private final HealthTracker health;
  private final ListenerGuard listener;
  private final IntPredicate isCurrent;

  SessionContext(int attempt, String agentName, List<String> topics, DefaultDispatcher dispatcher,
      HealthTracker health, ListenerGuard listener, IntPredicate isCurrent) {
    this.attempt = attempt;
    this.agentName = agentName;
    this.topics = topics;
    this.dispatcher = dispatcher;
    this.health = health;
    this.listener = listener;
    this.isCurrent = isCurrent;
  }

  private boolean current() {
    return isCurrent.test(attempt);
  }

  @Override
  public String agentName() {
    return agentName;
  }

  @Override
  public List<String> topics() {
    return topics;
  }

  @Override
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  @Override
  public ThreadFactory threadFactory(String role) {
    return new AgentThreadFactory(agentName, role);
  }

  @Override
  public void polled() {
    if (current()) {
      health.polled();
    }
  }

  @Override
  public void reachable(boolean reachable) {
    if (current()) {
      health.reachable(reachable);
    }
  }

  @Override
  public void lag(long records) {
    if (current()) {
      health.lag(records);
    }
  }

  @Override
  public void partitionsAssigned(Collection<Partition> partitions) {
    if (current()) {
      listener.partitionsAssigned(Set.copyOf(partitions));
    }
  }

  @Override
  public void partitionsRevoked(Collection<Partition> partitions) {
    if (current()) {
      listener.partitionsRevoked(Set.copyOf(partitions));
    }
  }

  @Override
  public void partitionsLost(Collection<Partition> partitions) {
    if (current()) {
      listener.partitionsLost(Set.copyOf(partitions));
    }
  }

  /** Hands the call to the dispatch thread: the poll thread that reports it must not run user code. */
  @Override
  public void committed(Partition partition, long offset) {
    if (partition != null && listener.hears() && current()) {
      dispatcher.callOnDispatchThread(() -> listener.committed(partition, offset));
    }
  }
}
