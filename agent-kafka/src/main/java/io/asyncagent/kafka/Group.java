package io.asyncagent.kafka;

import static java.util.Objects.requireNonNull;

import io.asyncagent.GoDuration;
import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The consumer group an agent joins (KrakenD's {@code group}). Agents sharing a group id share the
 * work: each partition is consumed by one of them.
 *
 * <p>Immutable, with value equality. Build one with {@link #builder()}; derive a variant with
 * {@link #toBuilder()}.
 */
public final class Group {
  private static final Pattern INSTANCE_ID = Pattern.compile("[0-9a-zA-Z._-]{1,249}");

  private final String id;
  private final IsolationLevel isolationLevel;
  private final Duration sessionTimeout;
  private final Duration heartbeatInterval;
  private final Duration rebalanceTimeout;
  private final List<RebalanceStrategy> rebalanceStrategies;
  private final String instanceId;
  private final int fetchDefault;

  private Group(Builder builder) {
    this.id = builder.id;
    this.isolationLevel = builder.isolationLevel;
    this.sessionTimeout = builder.sessionTimeout;
    this.heartbeatInterval = builder.heartbeatInterval;
    this.rebalanceTimeout = builder.rebalanceTimeout;
    this.rebalanceStrategies = List.copyOf(builder.rebalanceStrategies);
    this.instanceId = builder.instanceId;
    this.fetchDefault = builder.fetchDefault;
  }

  /**
   * {@return a group called {@code id} with KrakenD's defaults for everything else}
   *
   * @param id the group id, not blank
   * @throws NullPointerException if {@code id} is null
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public static Group of(String id) {
    return builder().id(id).build();
  }

  /** {@return an empty builder; {@code id} is required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this group's settings} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.id = id;
    builder.isolationLevel = isolationLevel;
    builder.sessionTimeout = sessionTimeout;
    builder.heartbeatInterval = heartbeatInterval;
    builder.rebalanceTimeout = rebalanceTimeout;
    builder.rebalanceStrategies.clear();
    builder.rebalanceStrategies.addAll(rebalanceStrategies);
    builder.instanceId = instanceId;
    builder.fetchDefault = fetchDefault;
    return builder;
  }

  /** {@return the group id (Kafka's {@code group.id})} */
  public String id() {
    return id;
  }

  /** {@return the isolation level (Kafka's {@code isolation.level})} */
  public IsolationLevel isolationLevel() {
    return isolationLevel;
  }

  /**
   * {@return how long the group waits for a silent member before it rebalances (Kafka's
   * {@code session.timeout.ms})}
   */
  public Duration sessionTimeout() {
    return sessionTimeout;
  }

  /** {@return how often a member tells the group it is alive (Kafka's {@code heartbeat.interval.ms})} */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /**
   * Returns the time a member has to rejoin once a rebalance has begun (Kafka's
   * {@code max.poll.interval.ms}, which the Java client sends as the rebalance timeout).
   *
   * @return the rebalance timeout, {@code > 0}
   */
  public Duration rebalanceTimeout() {
    return rebalanceTimeout;
  }

  /** {@return the assignment strategies offered, in order of preference} */
  public List<RebalanceStrategy> rebalanceStrategies() {
    return rebalanceStrategies;
  }

  /** {@return the static member id (Kafka's {@code group.instance.id}), if set} */
  public Optional<String> instanceId() {
    return Optional.ofNullable(instanceId);
  }

  /** {@return how many bytes one fetch asks of each partition (Kafka's {@code max.partition.fetch.bytes})} */
  public int fetchDefault() {
    return fetchDefault;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Group other
        && id.equals(other.id)
        && isolationLevel == other.isolationLevel
        && sessionTimeout.equals(other.sessionTimeout)
        && heartbeatInterval.equals(other.heartbeatInterval)
        && rebalanceTimeout.equals(other.rebalanceTimeout)
        && rebalanceStrategies.equals(other.rebalanceStrategies)
        && Objects.equals(instanceId, other.instanceId)
        && fetchDefault == other.fetchDefault;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, isolationLevel, sessionTimeout, heartbeatInterval, rebalanceTimeout, rebalanceStrategies,
        instanceId, fetchDefault);
  }

  @Override
  public String toString() {
    return "Group{id=" + id + ", isolationLevel=" + isolationLevel
        + ", sessionTimeout=" + GoDuration.format(sessionTimeout)
        + ", heartbeatInterval=" + GoDuration.format(heartbeatInterval)
        + ", rebalanceTimeout=" + GoDuration.format(rebalanceTimeout)
        + ", rebalanceStrategies=" + rebalanceStrategies
        + (instanceId == null ? "" : ", instanceId=" + instanceId)
        + ", fetchDefault=" + fetchDefault + "}";
  }

  /** Builds a {@link Group}. Each setter checks its value at once. */
  public static final class Builder {
    private String id;
    private IsolationLevel isolationLevel = IsolationLevel.READ_COMMITTED;
    private Duration sessionTimeout = Duration.ofSeconds(10);
    private Duration heartbeatInterval = Duration.ofSeconds(3);
    private Duration rebalanceTimeout = Duration.ofSeconds(60);
    private final List<RebalanceStrategy> rebalanceStrategies = new ArrayList<>(List.of(RebalanceStrategy.RANGE));
    private String instanceId;
    private int fetchDefault = 1024 * 1024;

    private Builder() {}

    /**
     * Sets the group id (KrakenD's {@code group.id}). Required.
     *
     * @param id the group id, not blank
     * @return this builder
     * @throws IllegalArgumentException if {@code id} is blank
     * @throws NullPointerException if {@code id} is null
     */
    public Builder id(String id) {
      requireNonNull(id, "id");
      if (id.isBlank()) {
        throw new IllegalArgumentException("group.id must not be blank, but was '" + id + "'");
      }
      this.id = id;
      return this;
    }

    /**
     * Sets the isolation level. Default {@link IsolationLevel#READ_COMMITTED}, as in KrakenD.
     *
     * @param isolationLevel the isolation level
     * @return this builder
     * @throws NullPointerException if {@code isolationLevel} is null
     */
    public Builder isolationLevel(IsolationLevel isolationLevel) {
      this.isolationLevel = requireNonNull(isolationLevel, "isolationLevel");
      return this;
    }

    /**
     * Sets how long the group waits for a member's heartbeat before it drops the member and rebalances
     * (KrakenD's {@code session_timeout}). Default 10 s, KrakenD's (Kafka's own is 45 s). The broker
     * bounds it with {@code group.min.session.timeout.ms} and {@code group.max.session.timeout.ms}.
     *
     * @param sessionTimeout the timeout, {@code > 0}; {@link #build()} checks it is above {@code heartbeatInterval}
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     * @throws NullPointerException if {@code sessionTimeout} is null
     */
    public Builder sessionTimeout(Duration sessionTimeout) {
      this.sessionTimeout = GoDuration.requirePositive("group.sessionTimeout", sessionTimeout);
      return this;
    }

    /**
     * Sets how often a member sends heartbeats (KrakenD's {@code heartbeat_interval}). Default 3 s. Must
     * be below {@code sessionTimeout}, and is best at most a third of it.
     *
     * @param heartbeatInterval the interval, {@code > 0} and below {@code sessionTimeout} (checked by {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     * @throws NullPointerException if {@code heartbeatInterval} is null
     */
    public Builder heartbeatInterval(Duration heartbeatInterval) {
      this.heartbeatInterval = GoDuration.requirePositive("group.heartbeatInterval", heartbeatInterval);
      return this;
    }

    /**
     * Sets the time a member has to rejoin once a rebalance has begun (KrakenD's
     * {@code rebalance_timeout}; Kafka's {@code max.poll.interval.ms}). Default 60 s. The agent's poll
     * thread never blocks on deliveries, so only a revoke's wait for in-flight events — at most half of
     * this, and 30 s — counts against it.
     *
     * @param rebalanceTimeout the timeout, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     * @throws NullPointerException if {@code rebalanceTimeout} is null
     */
    public Builder rebalanceTimeout(Duration rebalanceTimeout) {
      this.rebalanceTimeout = GoDuration.requirePositive("group.rebalanceTimeout", rebalanceTimeout);
      return this;
    }

    /**
     * Sets the assignment strategies, in order of preference (KrakenD's {@code rebalance_strategies}).
     * Default {@code [RANGE]}, KrakenD's.
     *
     * @param strategies the strategies, at least one, none repeated
     * @return this builder
     * @throws IllegalArgumentException if there are none or one repeats
     * @throws NullPointerException if {@code strategies} or one of them is null
     */
    public Builder rebalanceStrategies(RebalanceStrategy... strategies) {
      requireNonNull(strategies, "strategies");
      List<RebalanceStrategy> list = List.of(strategies);
      if (list.isEmpty()) {
        throw new IllegalArgumentException("group.rebalanceStrategies must name at least one strategy, but was empty");
      }
      if (new HashSet<>(list).size() != list.size()) {
        throw new IllegalArgumentException("group.rebalanceStrategies must not repeat a strategy, but was " + list);
      }
      rebalanceStrategies.clear();
      rebalanceStrategies.addAll(list);
      return this;
    }

    /**
     * Makes the member static (KrakenD's {@code instance_id}; KIP-345): a member that leaves and comes
     * back with the same id within {@code sessionTimeout} gets its partitions back without a rebalance.
     * Each agent of a group needs its own id. Default: a dynamic member.
     *
     * @param instanceId the static member id
     * @return this builder
     * @throws IllegalArgumentException unless it is 1 to 249 of {@code [0-9a-zA-Z._-]}
     * @throws NullPointerException if {@code instanceId} is null
     */
    public Builder instanceId(String instanceId) {
      requireNonNull(instanceId, "instanceId");
      if (!INSTANCE_ID.matcher(instanceId).matches()) {
        throw new IllegalArgumentException(
            "group.instanceId must be 1 to 249 of [0-9a-zA-Z._-], but was '" + instanceId + "'");
      }
      this.instanceId = instanceId;
      return this;
    }

    /**
     * Sets how many bytes one fetch asks of each partition (KrakenD's {@code fetch_default}; Kafka's
     * {@code max.partition.fetch.bytes}). Default 1 MiB, as in KrakenD and Kafka. A record larger than this
     * is still fetched, alone.
     *
     * @param fetchDefault the bytes per partition and fetch, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if it is below 1
     */
    public Builder fetchDefault(int fetchDefault) {
      if (fetchDefault < 1) {
        throw new IllegalArgumentException("group.fetchDefault must be >= 1, but was " + fetchDefault);
      }
      this.fetchDefault = fetchDefault;
      return this;
    }

    /**
     * Builds the group.
     *
     * @return the group
     * @throws InvalidConfigException if {@code id} was not set, or {@code heartbeatInterval} is not below
     *     {@code sessionTimeout}
     */
    public Group build() {
      List<Violation> violations = new ArrayList<>();
      if (id == null) {
        violations.add(new Violation("group.id", "is required"));
      }
      if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
        violations.add(new Violation("group.heartbeatInterval", "must be < sessionTimeout ("
            + GoDuration.format(sessionTimeout) + "), but was " + GoDuration.format(heartbeatInterval)));
      }
      if (!violations.isEmpty()) {
        throw new InvalidConfigException("group", violations);
      }
      return new Group(this);
    }

  }
}
