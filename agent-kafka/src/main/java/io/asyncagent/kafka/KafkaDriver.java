package io.asyncagent.kafka;

import static java.util.Objects.requireNonNull;

import io.asyncagent.GoDuration;
import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import io.asyncagent.kafka.internal.KafkaSession;
import io.asyncagent.kafka.internal.TopicNames;
import io.asyncagent.spi.Driver;
import io.asyncagent.spi.DriverContext;
import io.asyncagent.spi.DriverSession;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kafka driver (KrakenD's {@code extra_config."async/kafka"}): each agent using it joins a consumer
 * group, reads its topics on one poll thread of its own, and commits an offset only once every event
 * before it has been processed.
 *
 * <pre>{@code
 * KafkaDriver.builder()
 *     .cluster(Cluster.builder().brokers("localhost:9092").clientId("cid_stocks").build())
 *     .group(Group.builder().id("my_group_id").build())
 *     .keyMeta("Message-Id")
 *     .build();
 * }</pre>
 *
 * <p>A group with no committed offset starts at the end of each partition ("latest", as in KrakenD) unless
 * told otherwise ({@link Builder#startFrom}); a group that has committed resumes where it left off.
 *
 * <p>Immutable, with value equality; one driver may serve several agents.
 */
public final class KafkaDriver implements Driver {
  private final Cluster cluster;
  private final Group group;
  private final String keyMeta;
  private final Duration commitInterval;
  private final StartPosition startFrom;

  private KafkaDriver(Builder builder) {
    this.cluster = builder.cluster;
    this.group = builder.group;
    this.keyMeta = builder.keyMeta;
    this.commitInterval = builder.commitInterval;
    this.startFrom = builder.startFrom;
  }

  /** {@return an empty builder; {@code cluster} is required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this driver's settings} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.cluster = cluster;
    builder.group = group;
    builder.keyMeta = keyMeta;
    builder.commitInterval = commitInterval;
    builder.startFrom = startFrom;
    return builder;
  }

  /** {@return the cluster settings} */
  public Cluster cluster() {
    return cluster;
  }

  /** {@return the group settings, if set; when empty the group id is the agent's name} */
  public Optional<Group> group() {
    return Optional.ofNullable(group);
  }

  /** {@return the name of the header that carries each record's key, if set} */
  public Optional<String> keyMeta() {
    return Optional.ofNullable(keyMeta);
  }

  /** {@return how often processed offsets are committed while running} */
  public Duration commitInterval() {
    return commitInterval;
  }

  /** {@return where a group with no committed offset starts} */
  public StartPosition startFrom() {
    return startFrom;
  }

  @Override
  public String type() {
    return "kafka";
  }

  /** Returns {@code brokers <list>, group <id>}; a driver without a group uses its agent's name. */
  @Override
  public String summary() {
    return "brokers " + String.join(",", cluster.brokers()) + ", group "
        + group().map(Group::id).orElse("named after the agent");
  }

  @Override
  public Optional<String> checkTopic(String topic) {
    return TopicNames.check(topic);
  }

  @Override
  public DriverSession connect(DriverContext context) {
    return KafkaSession.start(this, context);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaDriver other
        && cluster.equals(other.cluster)
        && Objects.equals(group, other.group)
        && Objects.equals(keyMeta, other.keyMeta)
        && commitInterval.equals(other.commitInterval)
        && startFrom.equals(other.startFrom);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cluster, group, keyMeta, commitInterval, startFrom);
  }

  @Override
  public String toString() {
    return "KafkaDriver{cluster=" + cluster
        + (group == null ? "" : ", group=" + group)
        + (keyMeta == null ? "" : ", keyMeta=" + keyMeta)
        + ", commitInterval=" + GoDuration.format(commitInterval) + ", startFrom=" + startFrom + "}";
  }

  /** Builds a {@link KafkaDriver}. Each setter checks its value at once. */
  public static final class Builder {
    private Cluster cluster;
    private Group group;
    private String keyMeta;
    private Duration commitInterval = Duration.ofSeconds(1);
    private StartPosition startFrom = StartPosition.latest();

    private Builder() {}

    /**
     * Sets how to reach the cluster (KrakenD's {@code cluster}). Required.
     *
     * @param cluster the cluster
     * @return this builder
     * @throws NullPointerException if {@code cluster} is null
     */
    public Builder cluster(Cluster cluster) {
      this.cluster = requireNonNull(cluster, "cluster");
      return this;
    }

    /**
     * Sets the consumer group (KrakenD's {@code group}). Default: a group whose id is the agent's name.
     *
     * @param group the group
     * @return this builder
     * @throws NullPointerException if {@code group} is null
     */
    public Builder group(Group group) {
      this.group = requireNonNull(group, "group");
      return this;
    }

    /**
     * Names the header that carries each record's key (KrakenD's {@code key_meta}). A record with a
     * non-empty key gets the key under this name, replacing a record header of the same name; a record
     * without a key keeps its headers as they are. Default: the key is not copied into a header.
     *
     * @param keyMeta the header's name, not blank
     * @return this builder
     * @throws IllegalArgumentException if {@code keyMeta} is blank
     * @throws NullPointerException if {@code keyMeta} is null
     */
    public Builder keyMeta(String keyMeta) {
      requireNonNull(keyMeta, "keyMeta");
      if (keyMeta.isBlank()) {
        throw new IllegalArgumentException("keyMeta must not be blank, but was '" + keyMeta + "'");
      }
      this.keyMeta = keyMeta;
      return this;
    }

    /**
     * Sets how often processed offsets are committed while running; they are also committed when
     * partitions are revoked and when the agent closes. Default 1 s, the interval KrakenD's Kafka
     * client (sarama) uses.
     *
     * @param commitInterval the interval, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code commitInterval} is zero or negative
     * @throws NullPointerException if {@code commitInterval} is null
     */
    public Builder commitInterval(Duration commitInterval) {
      this.commitInterval = GoDuration.requirePositive("commitInterval", commitInterval);
      return this;
    }

    /**
     * Sets where a group with no committed offset for a partition starts reading it:
     * {@link StartPosition#latest()} (KrakenD's policy, the default), {@link StartPosition#earliest()} or
     * {@link StartPosition#timestamp(java.time.Instant)}. A group that has committed resumes from its
     * commits.
     *
     * @param startFrom the start position
     * @return this builder
     * @throws NullPointerException if {@code startFrom} is null
     */
    public Builder startFrom(StartPosition startFrom) {
      this.startFrom = requireNonNull(startFrom, "startFrom");
      return this;
    }

    /**
     * Builds the driver.
     *
     * @return the driver
     * @throws InvalidConfigException if {@code cluster} was not set
     */
    public KafkaDriver build() {
      if (cluster == null) {
        throw new InvalidConfigException("kafka driver", List.of(new Violation("cluster", "is required")));
      }
      return new KafkaDriver(this);
    }
  }
}
