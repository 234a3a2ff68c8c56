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
  private final ClientTls clientTls;
  private final int metadataRetryMax;
  private final Duration metadataRetryBackoff;
  private final int channelBufferSize;
  private final Duration dialTimeout;
  private final Duration keepAlive;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final String rackId;

  private Cluster(Builder builder) {
    this.brokers = List.copyOf(builder.brokers);
    this.clientId = builder.clientId;
    this.sasl = builder.sasl;
    this.clientTls = builder.clientTls;
    this.metadataRetryMax = builder.metadataRetryMax;
    this.metadataRetryBackoff = builder.metadataRetryBackoff;
    this.channelBufferSize = builder.channelBufferSize;
    this.dialTimeout = builder.dialTimeout;
    this.keepAlive = builder.keepAlive;
    this.readTimeout = builder.readTimeout;
    this.writeTimeout = builder.writeTimeout;
    this.rackId = builder.rackId;
  }

  /** {@return an empty builder; {@code brokers} is required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this cluster's settings} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.brokers.addAll(brokers);
    builder.clientId = clientId;
    builder.sasl = sasl;
    builder.clientTls = clientTls;
    builder.metadataRetryMax = metadataRetryMax;
    builder.metadataRetryBackoff = metadataRetryBackoff;
    builder.channelBufferSize = channelBufferSize;
    builder.dialTimeout = dialTimeout;
    builder.keepAlive = keepAlive;
    builder.readTimeout = readTimeout;
    builder.writeTimeout = writeTimeout;
    builder.rackId = rackId;
    return builder;
  }

  /** {@return the bootstrap brokers, {@code host:port} each (Kafka's {@code bootstrap.servers})} */
  public List<String> brokers() {
    return brokers;
  }

  /**
   * Returns the client id sent with every request (Kafka's {@code client.id}), if set. When empty the
   * driver uses {@code asyncagent-<agent name>}.
   *
   * @return the client id, or empty for the driver's default
   */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  /** {@return the SASL settings, if the cluster needs authentication} */
  public Optional<Sasl> sasl() {
    return Optional.ofNullable(sasl);
  }

  /** {@return the TLS settings, if the connection is encrypted} */
  public Optional<ClientTls> clientTls() {
    return Optional.ofNullable(clientTls);
  }

  /**
   * Returns how many records one poll reads ahead at most (KrakenD's {@code channel_buffer_size}; Kafka's
   * {@code max.poll.records}, further bounded by half the agent's buffer).
   *
   * @return the most records per poll, {@code >= 1}
   */
  public int channelBufferSize() {
    return channelBufferSize;
  }

  /** {@return how long opening a broker connection may take (KrakenD's {@code dial_timeout})} */
  public Duration dialTimeout() {
    return dialTimeout;
  }

  /**
   * Returns KrakenD's {@code keep_alive}: the TCP keep-alive period in Go. The Java client always turns
   * TCP keep-alive on with the operating system's period, so the value is kept for the record only.
   *
   * @return the period, {@code >= 0}
   */
  public Duration keepAlive() {
    return keepAlive;
  }

  /** {@return how long the client waits for a broker's response (KrakenD's {@code read_timeout})} */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** {@return how long the client may take to send a request (KrakenD's {@code write_timeout})} */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** {@return the rack the client runs in (KrakenD's {@code rack_id}; Kafka's {@code client.rack}), if set} */
  public Optional<String> rackId() {
    return Optional.ofNullable(rackId);
  }

  /** {@return how many metadata retries the cluster's blips are measured in (KrakenD's {@code metadata_retry_max})} */
  public int metadataRetryMax() {
    return metadataRetryMax;
  }

  /**
   * {@return the wait between metadata retries (KrakenD's {@code metadata_retry_backoff}; Kafka's
   * {@code retry.backoff.ms})}
   */
  public Duration metadataRetryBackoff() {
    return metadataRetryBackoff;
  }

  /**
   * Returns the longest loss of every broker connection the driver rides out before it ends the session
   * and lets the agent reconnect: {@code metadataRetryMax × metadataRetryBackoff}, 750 ms by default.
   *
   * @return the tolerance, {@code >= 0}
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
        && Objects.equals(clientTls, other.clientTls)
        && metadataRetryMax == other.metadataRetryMax
        && metadataRetryBackoff.equals(other.metadataRetryBackoff)
        && channelBufferSize == other.channelBufferSize
        && dialTimeout.equals(other.dialTimeout)
        && keepAlive.equals(other.keepAlive)
        && readTimeout.equals(other.readTimeout)
        && writeTimeout.equals(other.writeTimeout)
        && Objects.equals(rackId, other.rackId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(brokers, clientId, sasl, clientTls, metadataRetryMax, metadataRetryBackoff, channelBufferSize,
        dialTimeout, keepAlive, readTimeout, writeTimeout, rackId);
  }

  @Override
  public String toString() {
    return "Cluster{brokers=" + brokers
        + (clientId == null ? "" : ", clientId=" + clientId)
        + (sasl == null ? "" : ", sasl=" + sasl)
        + (clientTls == null ? "" : ", clientTls=" + clientTls)
        + ", metadataRetryMax=" + metadataRetryMax
        + ", metadataRetryBackoff=" + GoDuration.format(metadataRetryBackoff)
        + ", channelBufferSize=" + channelBufferSize
        + ", dialTimeout=" + GoDuration.format(dialTimeout)
        + ", keepAlive=" + GoDuration.format(keepAlive)
        + ", readTimeout=" + GoDuration.format(readTimeout)
        + ", writeTimeout=" + GoDuration.format(writeTimeout)
        + (rackId == null ? "" : ", rackId=" + rackId)
        + "}";
  }

  /** Builds a {@link Cluster}. Each setter checks its value at once. */
  public static final class Builder {
    private final List<String> brokers = new ArrayList<>();
    private String clientId;
    private Sasl sasl;
    private ClientTls clientTls;
    private int metadataRetryMax = 3;
    private Duration metadataRetryBackoff = Duration.ofMillis(250);
    private int channelBufferSize = 256;
    private Duration dialTimeout = Duration.ofSeconds(30);
    private Duration keepAlive = Duration.ZERO;
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration writeTimeout = Duration.ofSeconds(30);
    private String rackId;

    private Builder() {}

    /**
     * Sets the bootstrap brokers, each {@code host:port}; replaces any set before. Required.
     *
     * @param brokers the brokers, at least one
     * @return this builder
     * @throws IllegalArgumentException if there are none or one is not {@code host:port} with a port
     *     from 1 to 65535
     * @throws NullPointerException if {@code brokers} or one of them is null
     */
    public Builder brokers(String... brokers) {
      requireNonNull(brokers, "brokers");
      return brokers(List.of(brokers));
    }

    /**
     * Sets the bootstrap brokers, each {@code host:port}; replaces any set before. Required.
     *
     * @param brokers the brokers, at least one
     * @return this builder
     * @throws IllegalArgumentException if there are none or one is not {@code host:port} with a port
     *     from 1 to 65535
     * @throws NullPointerException if {@code brokers} or one of them is null
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
     * @param clientId the client id, not blank
     * @return this builder
     * @throws IllegalArgumentException if {@code clientId} is blank
     * @throws NullPointerException if {@code clientId} is null
     */
    public Builder clientId(String clientId) {
      requireNonNull(clientId, "clientId");
      if (clientId.isBlank()) {
        throw new IllegalArgumentException("cluster.clientId must not be blank, but was '" + clientId + "'");
      }
      this.clientId = clientId;
      return this;
    }

    /**
     * Sets SASL authentication (KrakenD's {@code sasl}). Default none.
     *
     * @param sasl the SASL settings
     * @return this builder
     * @throws NullPointerException if {@code sasl} is null
     */
    public Builder sasl(Sasl sasl) {
      this.sasl = requireNonNull(sasl, "sasl");
      return this;
    }

    /**
     * Sets TLS to the brokers (KrakenD's {@code client_tls}). Default none: plain TCP.
     *
     * @param clientTls the TLS settings
     * @return this builder
     * @throws NullPointerException if {@code clientTls} is null
     */
    public Builder clientTls(ClientTls clientTls) {
      this.clientTls = requireNonNull(clientTls, "clientTls");
      return this;
    }

    /**
     * Sets how many records one poll reads ahead at most (KrakenD's {@code channel_buffer_size}; Kafka's
     * {@code max.poll.records}). Default 256. A poll never returns more than half the agent's
     * {@code workers + bufferSize} either, so that a batch fits in whole.
     *
     * @param channelBufferSize the most records per poll, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if it is below 1
     */
    public Builder channelBufferSize(int channelBufferSize) {
      if (channelBufferSize < 1) {
        throw new IllegalArgumentException("cluster.channelBufferSize must be >= 1, but was " + channelBufferSize);
      }
      this.channelBufferSize = channelBufferSize;
      return this;
    }

    /**
     * Sets how long opening a connection to a broker may take (KrakenD's {@code dial_timeout}; Kafka's
     * {@code socket.connection.setup.timeout.ms} and {@code socket.connection.setup.timeout.max.ms}).
     * Default 30 s.
     *
     * @param dialTimeout the time limit, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     * @throws NullPointerException if {@code dialTimeout} is null
     */
    public Builder dialTimeout(Duration dialTimeout) {
      this.dialTimeout = GoDuration.requirePositive("cluster.dialTimeout", dialTimeout);
      return this;
    }

    /**
     * Sets KrakenD's {@code keep_alive}, Go's TCP keep-alive period. Default 0 s. The Java client always
     * turns TCP keep-alive on and leaves the period to the operating system, so the value changes nothing;
     * it is accepted so that a KrakenD configuration loads unchanged.
     *
     * @param keepAlive the period, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if it is negative (Go's way to turn keep-alive off, which the Java
     *     client cannot do)
     * @throws NullPointerException if {@code keepAlive} is null
     */
    public Builder keepAlive(Duration keepAlive) {
      requireNonNull(keepAlive, "keepAlive");
      if (keepAlive.isNegative()) {
        throw new IllegalArgumentException("cluster.keepAlive must be >= 0 (the Java client always keeps TCP"
            + " connections alive), but was " + GoDuration.format(keepAlive));
      }
      this.keepAlive = keepAlive;
      return this;
    }

    /**
     * Sets how long the client waits for a broker's response (KrakenD's {@code read_timeout}). Default
     * 30 s. Kafka's {@code request.timeout.ms} becomes the larger of this and {@link #writeTimeout}: the Java
     * client has one timeout for the whole request.
     *
     * @param readTimeout the time limit, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     * @throws NullPointerException if {@code readTimeout} is null
     */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = GoDuration.requirePositive("cluster.readTimeout", readTimeout);
      return this;
    }

    /**
     * Sets how long sending a request may take (KrakenD's {@code write_timeout}). Default 30 s. See
     * {@link #readTimeout}.
     *
     * @param writeTimeout the time limit, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     * @throws NullPointerException if {@code writeTimeout} is null
     */
    public Builder writeTimeout(Duration writeTimeout) {
      this.writeTimeout = GoDuration.requirePositive("cluster.writeTimeout", writeTimeout);
      return this;
    }

    /**
     * Sets the rack the client runs in (KrakenD's {@code rack_id}; Kafka's {@code client.rack}), so that
     * brokers with a rack-aware replica selector serve it from a replica in the same rack. Default none.
     *
     * @param rackId the rack, not blank
     * @return this builder
     * @throws IllegalArgumentException if it is blank
     * @throws NullPointerException if {@code rackId} is null
     */
    public Builder rackId(String rackId) {
      requireNonNull(rackId, "rackId");
      if (rackId.isBlank()) {
        throw new IllegalArgumentException("cluster.rackId must not be blank, but was '" + rackId + "'");
      }
      this.rackId = rackId;
      return this;
    }

    /**
     * Sets the number of metadata retries (KrakenD's {@code metadata_retry_max}). Default 3. Together with
     * {@link #metadataRetryBackoff(Duration)} it sets how long a loss of every broker connection is ridden
     * out before the agent reconnects — 750 ms by default; KrakenD advises more retries and a 1 s backoff
     * to ride out longer outages.
     *
     * <p>With 0, as in sarama, the session ends as soon as every broker connection is lost.
     *
     * @param metadataRetryMax the retries, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     */
    public Builder metadataRetryMax(int metadataRetryMax) {
      if (metadataRetryMax < 0) {
        throw new IllegalArgumentException("cluster.metadataRetryMax must be >= 0, but was " + metadataRetryMax);
      }
      this.metadataRetryMax = metadataRetryMax;
      return this;
    }

    /**
     * Sets the wait between metadata retries (KrakenD's {@code metadata_retry_backoff}; Kafka's
     * {@code retry.backoff.ms}). Default 250 ms.
     *
     * @param metadataRetryBackoff the wait, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     * @throws NullPointerException if {@code metadataRetryBackoff} is null
     */
    public Builder metadataRetryBackoff(Duration metadataRetryBackoff) {
      requireNonNull(metadataRetryBackoff, "metadataRetryBackoff");
      this.metadataRetryBackoff = GoDuration.requirePositive("cluster.metadataRetryBackoff", metadataRetryBackoff);
      return this;
    }

    /**
     * Builds the cluster.
     *
     * @return the cluster
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
