package io.asyncagent.internal;

import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.Partition;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that calls a user's {@link AgentListener}: what it throws is logged, never propagated. */
final class ListenerGuard {
  private static final Logger log = LoggerFactory.getLogger(ListenerGuard.class);

  private final AsyncAgent agent;
  private final AgentListener listener;

  ListenerGuard(AsyncAgent agent, AgentListener listener) {
    this.agent = agent;
    this.listener = listener;
  }

  void stateChanged(AgentState from, AgentState to) {
    call("stateChanged", l -> l.stateChanged(agent, from, to));
  }

  void connecting(int attempt) {
    call("connecting", l -> l.connecting(agent, attempt));
  }

  void connected(int attempt) {
    call("connected", l -> l.connected(agent, attempt));
  }

  void connectionLost(int attempt, Throwable cause, Optional<Duration> retryIn) {
    call("connectionLost", l -> l.connectionLost(agent, attempt, cause, retryIn));
  }

  void partitionsAssigned(Set<Partition> partitions) {
    call("partitionsAssigned", l -> l.partitionsAssigned(agent, partitions));
  }

  void partitionsRevoked(Set<Partition> partitions) {
    call("partitionsRevoked", l -> l.partitionsRevoked(agent, partitions));
  }

  void partitionsLost(Set<Partition> partitions) {
    call("partitionsLost", l -> l.partitionsLost(agent, partitions));
  }

  private void call(String method, Consumer<AgentListener> call) {
    if (listener == AgentListener.NONE) {
      return;
    }
    try {
      call.accept(listener);
    } catch (Throwable fault) {
      log.warn("agent '{}': listener {}.{} threw; ignored", agent.name(), listener.getClass().getName(), method,
          fault);
    }
  }
}
