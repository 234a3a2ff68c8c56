package io.asyncagent.kafka;

import static java.util.Objects.requireNonNull;

import io.asyncagent.GoDuration;
import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the Kafka cluster (KrakenD's {@code cluster}).
 *
 * <p>Immutable, with value equality. Build one with {@link #builder()}; derive a variant with
 * {@link #toBuilder()}.
 */
public final class Cluster {
  private final List<String> brokers;
  private final String clientId;
  private final Sasl sasl;
  private final int metadataRetryMax;
  private final Duration metadataRetryBackoff;

  private Cluster(Builder builder) {
    this.brokers = List.copyOf(builder.brokers);
    this.clientId = builder.clientId;
    this.sasl = builder.sasl;
    this.metadataRetryMax = builder.metadataRetryMax;
    this.metadataRetryBackoff = builder.metadataRetryBackoff;
  }

  /** Returns an empty builder; {@code brokers} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this cluster's settings. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.brokers.addAll(brokers);
    builder.clientId = clientId;
    builder.sasl = sasl;
    builder.metadataRetryMax = metadataRetryMax;
    builder.metadataRetryBackoff = metadataRetryBackoff;
    return builder;
  }

  /** Returns the bootstrap brokers, {@code host:port} each (Kafka's {@code bootstrap.servers}). */
  public List<String> brokers() {
    return brokers;
  }

  /**
   * Returns the client id sent with every request (Kafka's {@code client.id}), if set. When empty the
   * driver uses {@code asyncagent-<agent name>}.
   */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  /** Returns the SASL settings, if the cluster needs authentication. */
  public Optional<Sasl> sasl() {
    return Optional.ofNullable(sasl);
  }

  /** Returns how many metadata retries the cluster's blips are measured in (KrakenD's {@code metadata_retry_max}). */
  public int metadataRetryMax() {
    return metadataRetryMax;
  }

  /** Returns the wait between metadata retries (KrakenD's {@code metadata_retry_backoff}; Kafka's {@code retry.backoff.ms}). */
  public Duration metadataRetryBackoff() {
    return metadataRetryBackoff;
  }

  /**
   * Returns the longest loss of every broker connection the driver rides out before it ends the session
   * and lets the agent reconnect: {@code metadataRetryMax × metadataRetryBackoff}, 750 ms by default.
   */
  public Duration blipTolerance() {
    return metadataRetryBackoff.multipliedBy(metadataRetryMax);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cluster other
        && brokers.equals(other.brokers)
        && Objects.equals(clientId, other.clientId)
        && Objects.equals(sasl, other.sasl)
        && metadataRetryMax == other.metadataRetryMax
        && metadataRetryBackoff.equals(other.metadataRetryBackoff);
  }

  @Override
  public int hashCode() {
    return Objects.hash(brokers, clientId, sasl, metadataRetryMax, metadataRetryBackoff);
  }

  @Override
  public String toString() {
    return "Cluster{brokers=" + brokers
        + (clientId == null ? "" : ", clientId=" + clientId)
        + (sasl == null ? "" : ", sasl=" + sasl)
        + ", metadataRetryMax=" + metadataRetryMax
        + ", metadataRetryBackoff=" + GoDuration.format(metadataRetryBackoff)
        + "}";
  }

  /** Builds a {@link Cluster}. Each setter checks its value at once. */
  public static final class Builder {
    private final List<String> brokers = new ArrayList<>();
    private String clientId;
    private Sasl sasl;
    private int metadataRetryMax = 3;
    private Duration metadataRetryBackoff = Duration.ofMillis(250);

    private Builder() {}

    /**
     * Sets the bootstrap brokers, each {@code host:port}; replaces any set before. Required.
     *
     * @throws IllegalArgumentException if there are none or one is not {@code host:port} with a port
     *     from 1 to 65535
     */
    public Builder brokers(String... brokers) {
      requireNonNull(brokers, "brokers");
      return brokers(List.of(brokers));
    }

    /**
     * Sets the bootstrap brokers, each {@code host:port}; replaces any set before. Required.
     *
     * @throws IllegalArgumentException if there are none or one is not {@code host:port} with a port
     *     from 1 to 65535
     */
    public Builder brokers(List<String> brokers) {
      requireNonNull(brokers, "brokers");
      if (brokers.isEmpty()) {
        throw new IllegalArgumentException("cluster.brokers must name at least one broker, but was empty");
      }
      for (int i = 0; i < brokers.size(); i++) {
        String broker = requireNonNull(brokers.get(i), "brokers[" + i + "]");
        if (!isHostAndPort(broker)) {
          throw new IllegalArgumentException(
              "cluster.brokers[" + i + "] must be host:port with a port from 1 to 65535, but was '" + broker + "'");
        }
      }
      this.brokers.clear();
      this.brokers.addAll(brokers);
      return this;
    }

    /**
     * Sets the client id (KrakenD's {@code client_id}, Kafka's {@code client.id}). Default
     * {@code asyncagent-<agent name>}.
     *
     * @throws IllegalArgumentException if {@code clientId} is blank
     */
    public Builder clientId(String clientId) {
      requireNonNull(clientId, "clientId");
      if (clientId.isBlank()) {
        throw new IllegalArgumentException("cluster.clientId must not be blank, but was '" + clientId + "'");
      }
      this.clientId = clientId;
      return this;
    }

    /** Sets SASL authentication (KrakenD's {@code sasl}). Default none. */
    public Builder sasl(Sasl sasl) {
      this.sasl = requireNonNull(sasl, "sasl");
      return this;
    }

    /**
     * Sets the number of metadata retries (KrakenD's {@code metadata_retry_max}). Default 3. Together with
     * {@link #metadataRetryBackoff(Duration)} it sets how long a loss of every broker connection is ridden
     * out before the agent reconnects — 750 ms by default; KrakenD advises more retries and a 1 s backoff
     * to ride out longer outages.
     *
     * @throws IllegalArgumentException if it is below 1
     */
    public Builder metadataRetryMax(int metadataRetryMax) {
      if (metadataRetryMax < 1) {
        throw new IllegalArgumentException("cluster.metadataRetryMax must be >= 1, but was " + metadataRetryMax);
      }
      this.metadataRetryMax = metadataRetryMax;
      return this;
    }

    /**
     * Sets the wait between metadata retries (KrakenD's {@code metadata_retry_backoff}; Kafka's
     * {@code retry.backoff.ms}). Default 250 ms.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder metadataRetryBackoff(Duration metadataRetryBackoff) {
      requireNonNull(metadataRetryBackoff, "metadataRetryBackoff");
      this.metadataRetryBackoff = GoDuration.requirePositive("cluster.metadataRetryBackoff", metadataRetryBackoff);
      return this;
    }

    /**
     * Builds the cluster.
     *
     * @throws InvalidConfigException if {@code brokers} was not set
     */
    public Cluster build() {
      if (brokers.isEmpty()) {
        throw new InvalidConfigException("cluster", List.of(new Violation("cluster.brokers", "at least one broker is required")));
      }
      return new Cluster(this);
    }

    private static boolean isHostAndPort(String broker) {
      int colon = broker.lastIndexOf(':');
      if (colon <= 0 || colon == broker.length() - 1 || broker.isBlank()) {
        return false;
      }
      String port = broker.substring(colon + 1);
      if (port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
        return false;
      }
      int number = Integer.parseInt(port);
      return number >= 1 && number <= 65535 && broker.substring(0, colon).strip().equals(broker.substring(0, colon));
    }
  }
}
