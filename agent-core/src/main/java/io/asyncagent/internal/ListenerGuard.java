package io.asyncagent.internal;

import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.Coordinates;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryFailure;
import io.asyncagent.Event;
import io.asyncagent.Partition;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * A composite is unpacked here so that each member is guarded on its own: one that throws does not keep the
 * others from hearing. A listener that throws on every event would log a stack trace per event; the first
 * throw of each member's method is a WARN, the rest DEBUG.
 */
/** The one place that calls a user's {@link AgentListener}: what it throws is logged, never propagated. */
final class ListenerGuard {
  private static final Logger log = LoggerFactory.getLogger(ListenerGuard.class);

  private final AsyncAgent agent;
  private final AgentListener[] listeners;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  ListenerGuard(AsyncAgent agent, AgentListener listener) {
    this.agent = agent;
    this.listeners = CompositeListener.membersOf(listener).toArray(new AgentListener[0]);
  }

  /** Returns whether any listener may want to hear; when not, callers may skip preparing a call. */
  boolean hears() {
    return listeners.length > 0;
  }

  void stateChanged(AgentState from, AgentState to) {
    call("stateChanged", null, l -> l.stateChanged(agent, from, to));
  }

  void started() {
    call("started", null, l -> l.started(agent));
  }

  void connecting(int attempt) {
    call("connecting", null, l -> l.connecting(agent, attempt));
  }

  void connected(int attempt) {
    call("connected", null, l -> l.connected(agent, attempt));
  }

  void connectionLost(int attempt, Throwable cause, Optional<Duration> retryIn) {
    call("connectionLost", null, l -> l.connectionLost(agent, attempt, cause, retryIn));
  }

  void partitionsAssigned(Set<Partition> partitions) {
    call("partitionsAssigned", null, l -> l.partitionsAssigned(agent, partitions));
  }

  void partitionsRevoked(Set<Partition> partitions) {
    call("partitionsRevoked", null, l -> l.partitionsRevoked(agent, partitions));
  }

  void partitionsLost(Set<Partition> partitions) {
    call("partitionsLost", null, l -> l.partitionsLost(agent, partitions));
  }

  void received(Event event) {
    call("received", event.coordinates(), l -> l.received(agent, event));
  }

  void delivered(DeliveryAttempt attempt) {
    call("delivered", attempt.event().coordinates(), l -> l.delivered(agent, attempt));
  }

  void failed(DeliveryAttempt attempt, DeliveryFailure failure) {
    call("failed", attempt.event().coordinates(), l -> l.failed(agent, attempt, failure));
  }

  void retryScheduled(Event event, int attempt, Duration delay) {
    call("retryScheduled", event.coordinates(), l -> l.retryScheduled(agent, event, attempt, delay));
  }

  void deadLettered(Event event, DeliveryFailure failure) {
    call("deadLettered", event.coordinates(), l -> l.deadLettered(agent, event, failure));
  }

  void committed(Partition partition, long offset) {
    call("committed", null, l -> l.committed(agent, partition, offset));
  }

  /** Calls every listener; {@code about} is the event the call is about, for the log's MDC, or null. */
  private void call(String method, Coordinates about, Consumer<AgentListener> call) {
    for (AgentListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (Throwable fault) {
        report(listener, method, about, fault);
      }
    }
  }

  private void report(AgentListener listener, String method, Coordinates about, Throwable fault) {
    String name = listener.getClass().getName();
    boolean first = reported.add(name + '.' + method);
    if (!first && !log.isDebugEnabled()) {
      return;
    }
    LogContext mdc = about == null ? LogContext.agent(agent.name()) : LogContext.event(agent.name(), about);
    try {
      if (first) {
        log.warn("agent '{}': listener {}.{} threw; ignored (later throws of {} are logged at DEBUG)", agent.name(),
            name, method, method, fault);
      } else {
        log.debug("agent '{}': listener {}.{} threw again; ignored: {}", agent.name(), name, method,
            fault.toString());
      }
    } finally {
      mdc.restore();
    }
  }
}
