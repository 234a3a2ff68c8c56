package io.asyncagent.internal;

import static java.util.Objects.requireNonNull;

import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryFailure;
import io.asyncagent.Event;
import io.asyncagent.Partition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The listener of {@link AgentListener#composite}: passes each call to its members in order. An agent does
 * not call it: {@link ListenerGuard} unpacks it and guards each member on its own.
 */
public final class CompositeListener implements AgentListener {
  private final List<AgentListener> members;

  private CompositeListener(List<AgentListener> members) {
    this.members = members;
  }

  /** See {@link AgentListener#composite(List)}. */
  public static AgentListener of(List<? extends AgentListener> listeners) {
    List<AgentListener> members = new ArrayList<>();
    for (int i = 0; i < listeners.size(); i++) {
      AgentListener listener = requireNonNull(listeners.get(i), "listeners[" + i + "]");
      if (listener instanceof CompositeListener composite) {
        members.addAll(composite.members);
      } else if (listener != AgentListener.NONE) {
        members.add(listener);
      }
    }
    if (members.isEmpty()) {
      return AgentListener.NONE;
    }
    return members.size() == 1 ? members.get(0) : new CompositeListener(List.copyOf(members));
  }

  /** Returns the listeners a call goes to: the listener itself, or a composite's members. */
  static List<AgentListener> membersOf(AgentListener listener) {
    if (listener instanceof CompositeListener composite) {
      return composite.members;
    }
    return listener == AgentListener.NONE ? List.of() : List.of(listener);
  }

  @Override
  public void stateChanged(AsyncAgent agent, AgentState from, AgentState to) {
    members.forEach(l -> l.stateChanged(agent, from, to));
  }

  @Override
  public void started(AsyncAgent agent) {
    members.forEach(l -> l.started(agent));
  }

  @Override
  public void connecting(AsyncAgent agent, int attempt) {
    members.forEach(l -> l.connecting(agent, attempt));
  }

  @Override
  public void connected(AsyncAgent agent, int attempt) {
    members.forEach(l -> l.connected(agent, attempt));
  }

  @Override
  public void connectionLost(AsyncAgent agent, int attempt, Throwable cause, Optional<Duration> retryIn) {
    members.forEach(l -> l.connectionLost(agent, attempt, cause, retryIn));
  }

  @Override
  public void partitionsAssigned(AsyncAgent agent, Set<Partition> partitions) {
    members.forEach(l -> l.partitionsAssigned(agent, partitions));
  }

  @Override
  public void partitionsRevoked(AsyncAgent agent, Set<Partition> partitions) {
    members.forEach(l -> l.partitionsRevoked(agent, partitions));
  }

  @Override
  public void partitionsLost(AsyncAgent agent, Set<Partition> partitions) {
    members.forEach(l -> l.partitionsLost(agent, partitions));
  }

  @Override
  public void received(AsyncAgent agent, Event event) {
    members.forEach(l -> l.received(agent, event));
  }

  @Override
  public void delivered(AsyncAgent agent, DeliveryAttempt attempt) {
    members.forEach(l -> l.delivered(agent, attempt));
  }

  @Override
  public void failed(AsyncAgent agent, DeliveryAttempt attempt, DeliveryFailure failure) {
    members.forEach(l -> l.failed(agent, attempt, failure));
  }

  @Override
  public void retryScheduled(AsyncAgent agent, Event event, int attempt, Duration delay) {
    members.forEach(l -> l.retryScheduled(agent, event, attempt, delay));
  }

  @Override
  public void deadLettered(AsyncAgent agent, Event event, DeliveryFailure failure) {
    members.forEach(l -> l.deadLettered(agent, event, failure));
  }

  @Override
  public void committed(AsyncAgent agent, Partition partition, long offset) {
    members.forEach(l -> l.committed(agent, partition, offset));
  }

  /** Names the members by class. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("AgentListener.composite[");
    for (int i = 0; i < members.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(members.get(i).getClass().getName());
    }
    return out.append(']').toString();
  }
}
