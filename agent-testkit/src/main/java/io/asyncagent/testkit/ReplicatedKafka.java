package io.asyncagent.testkit;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * A Kafka cluster of several brokers in the test JVM, replicated like production, with each broker behind a {@link
 * TcpProxy} so that a test can break the network between a client and the brokers.
 *
 * <p>The shape is the one that works in Kafka's test kit: node 0 is a broker and the only controller, the others are
 * brokers only (three combined controllers lose their raft quorum seconds after startup). With {@code n} brokers (3 by
 * default) the cluster has these settings, each of which {@link Builder#brokerProperty(String, String)} can override,
 * besides those of {@link EmbeddedKafka}:
 *
 * <ul>
 *   <li>{@code default.replication.factor=n}, {@code offsets.topic.replication.factor=n}, {@code
 *       transaction.state.log.replication.factor=n}, {@code share.coordinator.state.topic.replication.factor=n};
 *   <li>{@code min.insync.replicas=2}, {@code transaction.state.log.min.isr=2}, {@code
 *       share.coordinator.state.topic.min.isr=2} (1 for a single broker): an {@code acks=all} write survives one
 *       broker down.
 * </ul>
 *
 * <p><b>Two ways in.</b> {@link #bootstrapServers()} is the brokers' own listener: the test's producer, admin client
 * and offset checks use it, and no proxy fault touches it. {@link #proxiedBootstrapServers()} goes through the
 * proxies: give it to the client under test. A Kafka client uses the bootstrap address only for its first metadata
 * request and then connects to the addresses the brokers <em>advertise</em>, so a proxy in front of the bootstrap
 * address alone would soon be bypassed. Each broker therefore has a second listener, {@code PROXIED}, on a fixed
 * loopback port, which advertises the address of that broker's proxy: a client that bootstraps through a proxy learns
 * only proxy addresses, and every connection it ever makes, to any broker, goes through {@link #proxy(int)} of that
 * broker. A restarted broker binds the same port again, so the proxies stay valid.
 *
 * <p>{@link #stopBroker(int)} and {@link #startBroker(int)} stop and restart one broker in place; {@link
 * #leaderOf(String, int)} tells which broker to stop to move a partition's leadership. All methods are thread-safe.
 *
 * <pre>{@code
 * try (ReplicatedKafka cluster = ReplicatedKafka.start()) {
 *   cluster.createTopic("orders", 12);                    // replication factor 3
 *   // the agent under test: Cluster.builder().brokers(cluster.proxiedBootstrapServers())
 *   cluster.stopBroker(cluster.leaderOf("orders", 0).getAsInt());
 *   cluster.proxies().forEach(TcpProxy::blackHole);
 * }
 * }</pre>
 */
public final class ReplicatedKafka implements AutoCloseable {
  /** The name of the listener each broker advertises at its proxy's address. */
  public static final String PROXIED_LISTENER = "PROXIED";

  /** The listener names Kafka's test kit gives its own broker and controller listeners. */
  private static final String KIT_BROKER_LISTENER = "EXTERNAL";
  private static final String KIT_CONTROLLER_LISTENER = "CONTROLLER";
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(60);

  private final EmbeddedKafka kafka;
  private final List<TcpProxy> proxies;
  private final int brokers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ReplicatedKafka(EmbeddedKafka kafka, List<TcpProxy> proxies) {
    this.kafka = kafka;
    this.proxies = List.copyOf(proxies);
    this.brokers = proxies.size();
  }

  /**
   * Starts a cluster of 3 brokers and 1 controller with the settings described on the class, and waits until every
   * broker is ready. Takes 2 to 4 s.
   *
   * @return the running cluster; close it when done
   * @throws IllegalStateException if the cluster fails to start
   */
  public static ReplicatedKafka start() {
    return builder().start();
  }

  /**
   * Returns a builder for a cluster of another size or with extra broker settings.
   *
   * @return a new builder: 3 brokers, the settings described on the class
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the cluster as an {@link EmbeddedKafka}, for its helpers: producing records, reading offsets, the admin
   * client. They all use {@link #bootstrapServers()}, never the proxies.
   *
   * @return the cluster's helpers; closed by {@link #close()}
   */
  public EmbeddedKafka kafka() {
    return kafka;
  }

  /**
   * Returns the brokers' own addresses, which no proxy fault touches.
   *
   * @return such as {@code localhost:37521,localhost:37523,localhost:37525}
   */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /**
   * Returns the proxies' addresses, in broker id order: a client that bootstraps here reaches every broker through
   * its proxy only (see the class comment).
   *
   * @return such as {@code 127.0.0.1:41001,127.0.0.1:41003,127.0.0.1:41005}
   */
  public String proxiedBootstrapServers() {
    return proxies.stream().map(TcpProxy::address).collect(Collectors.joining(","));
  }

  /**
   * Returns the proxy in front of broker {@code id}.
   *
   * @param id the broker id, one of {@link #brokerIds()}
   * @return the proxy
   * @throws IllegalArgumentException {@code no broker with id 7; the broker ids are [0, 1, 2]}
   */
  public TcpProxy proxy(int id) {
    checkId(id);
    return proxies.get(id);
  }

  /**
   * Returns every proxy, in broker id order; {@code cluster.proxies().forEach(TcpProxy::blackHole)} cuts a client
   * off from the whole cluster.
   *
   * @return an unmodifiable list
   */
  public List<TcpProxy> proxies() {
    return proxies;
  }

  /**
   * Returns the broker ids.
   *
   * @return {@code [0, 1, ..., brokers - 1]}
   */
  public List<Integer> brokerIds() {
    return kafka.brokerIds();
  }

  /**
   * Creates a topic with one replica on every broker and returns once every partition has a leader.
   *
   * @param name the topic name, such as one from {@link EmbeddedKafka#uniqueTopic(String)}
   * @param partitions the number of partitions, {@code >= 1}
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException {@code partitions must be >= 1, but was 0}
   * @throws IllegalStateException naming the topic, if it exists already or cannot be created (such as while a broker
   *     is stopped)
   */
  public void createTopic(String name, int partitions) {
    kafka.createTopic(name, partitions, (short) brokers);
  }

  /**
   * Returns the broker that leads a partition now, as the cluster's metadata says.
   *
   * @param topic an existing topic
   * @param partition the partition number
   * @return the leader's id, or empty while the partition has no leader
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException {@code topic 'orders' has no partition 12; it has 12}
   * @throws IllegalStateException naming the topic, if it cannot be described within 30 s
   */
  public OptionalInt leaderOf(String topic, int partition) {
    Node leader = partitionInfo(topic, partition).leader();
    return leader == null || leader.isEmpty() ? OptionalInt.empty() : OptionalInt.of(leader.id());
  }

  /**
   * Returns the brokers whose replica of a partition is in sync, the leader's included.
   *
   * @param topic an existing topic
   * @param partition the partition number
   * @return the ids of the in-sync replicas, ascending
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException {@code topic 'orders' has no partition 12; it has 12}
   * @throws IllegalStateException naming the topic, if it cannot be described within 30 s
   */
  public List<Integer> inSyncReplicasOf(String topic, int partition) {
    return partitionInfo(topic, partition).isr().stream().map(Node::id).sorted().toList();
  }

  /**
   * Waits until every partition of {@code topic} has every broker in sync again, such as after {@link
   * #startBroker(int)}.
   *
   * @param topic an existing topic
   * @throws NullPointerException if {@code topic} is null
   * @throws AssertionError if that takes more than 60 s; the message gives each partition's in-sync replicas
   */
  public void awaitFullyReplicated(String topic) {
    requireNonNull(topic, "topic");
    Await.until(REPLICATION_TIMEOUT,
        () -> describe(topic).partitions().stream().allMatch(p -> p.isr().size() == brokers),
        () -> "every partition of '" + topic + "' to have " + brokers + " in-sync replicas, got " + describe(topic)
            .partitions().stream().collect(Collectors.toMap(TopicPartitionInfo::partition,
                p -> p.isr().stream().map(Node::id).sorted().toList())));
  }

  /**
   * Stops broker {@code id} with a controlled shutdown (its leaderships move to other in-sync replicas first); see
   * {@link EmbeddedKafka#stopBroker(int)}. Its proxy stays up and finds nothing to connect to, as a client would.
   *
   * @param id the broker id, one of {@link #brokerIds()}
   * @throws IllegalArgumentException {@code no broker with id 7; the broker ids are [0, 1, 2]}
   * @throws IllegalStateException {@code broker 0 is already stopped}, or if the cluster is closed
   */
  public void stopBroker(int id) {
    kafka.stopBroker(id);
  }

  /**
   * Starts broker {@code id} again in place, with its data and both its listeners' ports; see {@link
   * EmbeddedKafka#startBroker(int)}.
   *
   * @param id the broker id, one of {@link #brokerIds()}
   * @throws IllegalArgumentException {@code no broker with id 7; the broker ids are [0, 1, 2]}
   * @throws IllegalStateException {@code broker 0 is already running}, if the cluster is closed, or if the broker
   *     fails to start or to be ready within 60 s
   */
  public void startBroker(int id) {
    kafka.startBroker(id);
  }

  /**
   * Closes the cluster and the proxies. Idempotent.
   *
   * @throws IllegalStateException if the cluster recorded a fault while it ran; the proxies are closed regardless
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      kafka.close();
    } finally {
      proxies.forEach(TcpProxy::close);
    }
  }

  /** Returns {@code ReplicatedKafka[3 brokers, localhost:37521,..., proxied at 127.0.0.1:41001,...]}. */
  @Override
  public String toString() {
    return "ReplicatedKafka[" + brokers + " brokers, " + bootstrapServers() + ", proxied at "
        + proxiedBootstrapServers() + (closed.get() ? ", closed" : "") + "]";
  }

  private void checkId(int id) {
    if (id < 0 || id >= brokers) {
      throw new IllegalArgumentException("no broker with id " + id + "; the broker ids are " + brokerIds());
    }
  }

  private TopicPartitionInfo partitionInfo(String topic, int partition) {
    List<TopicPartitionInfo> partitions = describe(requireNonNull(topic, "topic")).partitions();
    if (partition < 0 || partition >= partitions.size()) {
      throw new IllegalArgumentException(
          "topic '" + topic + "' has no partition " + partition + "; it has " + partitions.size());
    }
    return partitions.get(partition);
  }

  private TopicDescription describe(String topic) {
    return new AdminCalls(kafka.admin(), EmbeddedKafka.OPERATION_TIMEOUT)
        .await(kafka.admin().describeTopics(List.of(topic)).allTopicNames(), "describe topic '" + topic + "'")
        .get(topic);
  }

  /** Configures a {@link ReplicatedKafka}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private int brokers = 3;

    private Builder() {}

    /**
     * Sets the number of brokers. Default 3.
     *
     * @param brokers the number of brokers, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException {@code brokers must be >= 1, but was 0}
     */
    public Builder brokers(int brokers) {
      this.brokers = Checks.atLeastOne("brokers", brokers);
      return this;
    }

    /**
     * Adds a setting for every broker, or overrides one of the defaults described on {@link ReplicatedKafka} and
     * {@link EmbeddedKafka}. Setting the same key again replaces the earlier value. The listener settings are the
     * cluster's own: {@code listeners}, {@code advertised.listeners} and {@code listener.security.protocol.map} are
     * refused.
     *
     * @param key the setting, such as {@code min.insync.replicas}
     * @param value its value
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code key} is blank or a listener setting
     */
    public Builder brokerProperty(String key, String value) {
      requireNonNull(value, "value");
      Checks.brokerPropertyKey(key);
      if (key.equals("listeners") || key.equals("advertised.listeners")
          || key.equals("listener.security.protocol.map")) {
        throw new IllegalArgumentException("broker property '" + key + "' is set by ReplicatedKafka");
      }
      brokerProperties.put(key, value);
      return this;
    }

    /**
     * Starts the proxies, then the cluster, and waits until every broker is ready.
     *
     * @return the running cluster; close it when done
     * @throws IllegalStateException if the cluster fails to start, or no free ports are found for the proxied
     *     listeners; the proxies are closed again
     * @throws java.io.UncheckedIOException if no loopback port could be bound for a proxy
     */
    public ReplicatedKafka start() {
      List<TcpProxy> proxies = new ArrayList<>();
      try {
        EmbeddedKafka.Builder cluster = EmbeddedKafka.builder().brokers(brokers);
        replicationDefaults().forEach(cluster::brokerProperty);
        brokerProperties.forEach(cluster::brokerProperty);
        cluster.brokerProperty("listener.security.protocol.map", KIT_BROKER_LISTENER + ":PLAINTEXT,"
            + KIT_CONTROLLER_LISTENER + ":PLAINTEXT," + PROXIED_LISTENER + ":PLAINTEXT");
        List<Integer> listenerPorts = FixedPorts.pick(LOOPBACK, brokers);
        for (int id = 0; id < brokers; id++) {
          proxies.add(TcpProxy.start(new InetSocketAddress(LOOPBACK, listenerPorts.get(id))));
        }
        for (int id = 0; id < brokers; id++) {
          int listenerPort = listenerPorts.get(id);
          TcpProxy proxy = proxies.get(id);
          String kitListeners = KIT_BROKER_LISTENER + "://localhost:0"
              + (id == 0 ? "," + KIT_CONTROLLER_LISTENER + "://localhost:0" : "");
          cluster.brokerProperty(id, "listeners",
              kitListeners + "," + PROXIED_LISTENER + "://" + LOOPBACK + ":" + listenerPort);
          cluster.brokerProperty(id, "advertised.listeners",
              KIT_BROKER_LISTENER + "://localhost:0," + PROXIED_LISTENER + "://" + proxy.address());
        }
        return new ReplicatedKafka(cluster.start(), proxies);
      } catch (RuntimeException | Error e) {
        proxies.forEach(TcpProxy::close);
        throw e;
      }
    }

    private Map<String, String> replicationDefaults() {
      String replicas = Integer.toString(brokers);
      String minInSync = Integer.toString(Math.min(2, brokers));
      Map<String, String> defaults = new LinkedHashMap<>();
      defaults.put("default.replication.factor", replicas);
      defaults.put("offsets.topic.replication.factor", replicas);
      defaults.put("transaction.state.log.replication.factor", replicas);
      defaults.put("share.coordinator.state.topic.replication.factor", replicas);
      defaults.put("min.insync.replicas", minInSync);
      defaults.put("transaction.state.log.min.isr", minInSync);
      defaults.put("share.coordinator.state.topic.min.isr", minInSync);
      return defaults;
    }
  }
}
