package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot of one agent's health, from {@link AsyncAgent#health()}.
 *
 * <p>An agent is {@linkplain #isHealthy() healthy} when it is {@link AgentState#RUNNING} and can reach its
 * cluster. KrakenD reports every agent as healthy while the gateway is up; here an agent that has failed,
 * or that is reconnecting to a cluster it lost, is not.
 */
public final class AgentHealth {
  private final String name;
  private final AgentState state;
  private final boolean clusterReachable;
  private final Instant lastAlive;
  private final Instant lastPoll;
  private final Instant lastDelivery;
  private final long lag;
  private final int inFlightEvents;
  private final int bufferedEvents;
  private final long bufferedBytes;
  private final Throwable failureCause;

  /**
   * Creates a snapshot that does not know how many events are in flight ({@link #inFlightEvents()} is 0);
   * agents create snapshots with {@link #AgentHealth(String, AgentState, boolean, Optional, Optional, Optional,
   * OptionalLong, int, int, long, Optional)}, hosts read them.
   *
   * @param name the agent's name
   * @param state the agent's state
   * @param clusterReachable whether the driver's session is connected to its cluster
   * @param lastAlive when the agent last reported itself alive, if ever
   * @param lastPoll when the driver last polled its source successfully, if ever
   * @param lastDelivery when an event was last delivered to every sink, if ever
   * @param lag the records beyond what the agent has read, if the driver knows; {@code >= 0}
   * @param bufferedEvents events admitted and not yet processed, {@code >= 0}
   * @param bufferedBytes the bytes of those events, {@code >= 0}
   * @param failureCause why the agent failed, if it has
   * @throws NullPointerException if an argument is null
   */
  public AgentHealth(String name, AgentState state, boolean clusterReachable, Optional<Instant> lastAlive,
      Optional<Instant> lastPoll, Optional<Instant> lastDelivery, OptionalLong lag, int bufferedEvents,
      long bufferedBytes, Optional<Throwable> failureCause) {
    this(name, state, clusterReachable, lastAlive, lastPoll, lastDelivery, lag, 0, bufferedEvents, bufferedBytes,
        failureCause);
  }

  /**
   * Creates a snapshot; agents create these, hosts read them.
   *
   * @param name the agent's name
   * @param state the agent's state
   * @param clusterReachable whether the driver's session is connected to its cluster
   * @param lastAlive when the agent last reported itself alive, if ever
   * @param lastPoll when the driver last polled its source successfully, if ever
   * @param lastDelivery when an event was last delivered to every sink, if ever
   * @param lag the records beyond what the agent has read, if the driver knows; {@code >= 0}
   * @param inFlightEvents events with a delivery attempt in flight, {@code 0..bufferedEvents}
   * @param bufferedEvents events admitted and not yet processed, {@code >= 0}
   * @param bufferedBytes the bytes of those events, {@code >= 0}
   * @param failureCause why the agent failed, if it has
   * @throws NullPointerException if an argument is null
   */
  public AgentHealth(String name, AgentState state, boolean clusterReachable, Optional<Instant> lastAlive,
      Optional<Instant> lastPoll, Optional<Instant> lastDelivery, OptionalLong lag, int inFlightEvents,
      int bufferedEvents, long bufferedBytes, Optional<Throwable> failureCause) {
    this.name = requireNonNull(name, "name");
    this.state = requireNonNull(state, "state");
    this.clusterReachable = clusterReachable;
    this.lastAlive = lastAlive.orElse(null);
    this.lastPoll = lastPoll.orElse(null);
    this.lastDelivery = lastDelivery.orElse(null);
    this.lag = lag.orElse(-1);
    this.inFlightEvents = inFlightEvents;
    this.bufferedEvents = bufferedEvents;
    this.bufferedBytes = bufferedBytes;
    this.failureCause = failureCause.orElse(null);
  }

  /** {@return the agent's name} */
  public String name() {
    return name;
  }

  /** {@return the agent's state} */
  public AgentState state() {
    return state;
  }

  /** {@return whether the agent is running and can reach its cluster} */
  public boolean isHealthy() {
    return state == AgentState.RUNNING && clusterReachable;
  }

  /** {@return whether the driver's session is connected to its cluster} */
  public boolean clusterReachable() {
    return clusterReachable;
  }

  /**
   * Returns when the agent last reported itself alive: on connecting, then every
   * {@link ConnectionPolicy#healthInterval()} while running and connected — KrakenD's "last alive".
   *
   * @return the last time the agent reported itself alive, or empty if it never has
   */
  public Optional<Instant> lastAlive() {
    return Optional.ofNullable(lastAlive);
  }

  /** {@return when the driver last polled its source successfully} */
  public Optional<Instant> lastPoll() {
    return Optional.ofNullable(lastPoll);
  }

  /** {@return when an event was last delivered to every sink} */
  public Optional<Instant> lastDelivery() {
    return Optional.ofNullable(lastDelivery);
  }

  /** {@return how many records the agent's partitions hold beyond what it has read, when the driver knows} */
  public OptionalLong lag() {
    return lag < 0 ? OptionalLong.empty() : OptionalLong.of(lag);
  }

  /**
   * Returns how many events have a delivery attempt in flight, each holding one of the agent's
   * {@code workers}: as many as {@code workers} means the backends are the bottleneck. Part of
   * {@link #bufferedEvents()}.
   *
   * @return the events in flight, {@code 0..bufferedEvents()}
   */
  public int inFlightEvents() {
    return inFlightEvents;
  }

  /** {@return how many events are admitted and not yet processed: waiting for a worker, or in flight} */
  public int bufferedEvents() {
    return bufferedEvents;
  }

  /** {@return the bytes of those events (bodies, keys and headers)} */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /** {@return why the agent failed, when it has} */
  public Optional<Throwable> failureCause() {
    return Optional.ofNullable(failureCause);
  }

  @Override
  public String toString() {
    return "AgentHealth{" + name + ", " + state + (isHealthy() ? ", healthy" : ", unhealthy")
        + ", clusterReachable=" + clusterReachable
        + ", lastAlive=" + lastAlive + ", lastPoll=" + lastPoll + ", lastDelivery=" + lastDelivery
        + ", lag=" + (lag < 0 ? "unknown" : lag) + ", inFlight=" + inFlightEvents + ", buffered=" + bufferedEvents + " events/" + bufferedBytes + " bytes"
        + (failureCause == null ? "" : ", failureCause=" + failureCause) + "}";
  }
}
