package io.asyncagent;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Hears what happens to an agent: state changes, connection attempts, partitions coming and going.
 * Every method has an empty default; implement those you need.
 *
 * <h2>Contract</h2>
 *
 * A listener runs on the agent's own threads, in the middle of its work: it must be fast, must not block
 * and must not throw. The agent guards every call anyway — an exception is logged and the agent carries
 * on — but a slow listener slows the agent.
 */
public interface AgentListener {

  /** A listener that does nothing; the default. */
  AgentListener NONE = new AgentListener() {};

  /** The agent moved from {@code from} to {@code to}. */
  default void stateChanged(AsyncAgent agent, AgentState from, AgentState to) {}

  /** Connection attempt {@code attempt} (0 for the first) is starting. */
  default void connecting(AsyncAgent agent, int attempt) {}

  /** The session of attempt {@code attempt} is consuming. */
  default void connected(AsyncAgent agent, int attempt) {}

  /**
   * The session of attempt {@code attempt} ended because of {@code cause}. {@code retryIn} is the wait
   * before the next attempt, or empty when the agent gives up (it then goes {@link AgentState#FAILED}).
   */
  default void connectionLost(AsyncAgent agent, int attempt, Throwable cause, Optional<Duration> retryIn) {}

  /** The agent was given {@code partitions} to consume. */
  default void partitionsAssigned(AsyncAgent agent, Set<Partition> partitions) {}

  /** {@code partitions} were taken from the agent after it committed what it processed of them. */
  default void partitionsRevoked(AsyncAgent agent, Set<Partition> partitions) {}

  /** {@code partitions} were taken from the agent without a chance to commit. */
  default void partitionsLost(AsyncAgent agent, Set<Partition> partitions) {}
}
