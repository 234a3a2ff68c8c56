package io.asyncagent.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * A real Apache Kafka cluster (KRaft) running inside the test JVM, with helpers for the chores of broker tests:
 * creating topics, producing records and reading offsets. It is the in-JVM {@link KafkaCluster}, and adds what only a
 * broker in the JVM allows: several brokers, stopping and starting them, and SASL and TLS listeners.
 *
 * <p>It uses Apache Kafka's own test cluster ({@code KafkaClusterTestKit}): real broker and controller code,
 * listening on {@code localhost} on a free port, with its data in a temporary folder deleted on {@link #close()}.
 * The cluster mirrors production: it is formatted with the latest production metadata version
 * ({@code MetadataVersion.latestProduction()}) and unstable APIs and features are off. Default broker settings,
 * each of which {@link Builder#brokerProperty(String, String)} can override:
 *
 * <ul>
 *   <li>{@code unstable.api.versions.enable=false}, {@code unstable.feature.versions.enable=false};
 *   <li>{@code offsets.topic.replication.factor=1}, {@code offsets.topic.num.partitions=5};
 *   <li>{@code transaction.state.log.replication.factor=1}, {@code transaction.state.log.min.isr=1};
 *   <li>{@code share.coordinator.state.topic.replication.factor=1}, {@code share.coordinator.state.topic.min.isr=1};
 *   <li>{@code group.initial.rebalance.delay.ms=0}, so the first group join is not delayed by 3 s;
 *   <li>{@code auto.create.topics.enable=false}, so a test that forgets {@link #createTopic(String, int)} fails
 *       instead of passing by accident.
 * </ul>
 *
 * <p>Clients connect without authentication to {@link #bootstrapServers()}. For security tests the builder adds
 * listeners next to it, on free ports of the one node:
 *
 * <ul>
 *   <li>{@code SASL_PLAINTEXT}, at {@link #saslPlaintextBootstrapServers()}, for the users of {@link
 *       Builder#saslPlainUser(String, String)} (PLAIN), {@link Builder#saslScramUser(String, String)} (SCRAM-SHA-256
 *       and SCRAM-SHA-512) and the clients of {@link Builder#oauthBearer(TestOAuthServer)} (OAUTHBEARER);
 *   <li>{@code SSL}, at {@link #sslBootstrapServers()}, with a server certificate from {@link
 *       Builder#ssl(TestCertificates)}, or one that also requires a client certificate from {@link
 *       Builder#mutualTls(TestCertificates)};
 *   <li>{@code SASL_SSL}, at {@link #saslSslBootstrapServers()}, when there are both: the same SASL users over TLS.
 * </ul>
 *
 * <p>The helpers here keep using the plain listener. To simulate an outage, {@link #stopBroker(int)} stops a broker
 * and {@link #startBroker(int)} starts it again, on the same port with its data.
 *
 * <p>In JUnit 5 tests prefer {@link WithEmbeddedKafka}, which shares one instance per test class. Every operation
 * here waits at most 30 seconds, {@link #startBroker(int)} at most 60. All methods are thread-safe.
 */
public final class EmbeddedKafka implements KafkaCluster {
  /** How long each admin call or produce batch may take before the test fails instead of hanging. */
  static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;
  private final SecureListeners listeners;
  private volatile Map<String, String> listenerAddresses; // by listener name; changes when broker 0 restarts
  private final Admin admin;
  private final AdminCalls calls;
  private final SharedProducer producer;
  private final BrokerLifecycle brokers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(KafkaClusterTestKit cluster, SecureListeners listeners) {
    this.cluster = cluster;
    this.bootstrapServers = cluster.bootstrapServers();
    this.listeners = listeners;
    this.listenerAddresses = listeners.addresses(cluster);
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    this.calls = new AdminCalls(admin, OPERATION_TIMEOUT);
    this.producer = new SharedProducer(bootstrapServers, OPERATION_TIMEOUT);
    this.brokers = new BrokerLifecycle(cluster);
    try {
      listeners.createScramUsers(admin, cluster, OPERATION_TIMEOUT);
    } catch (RuntimeException | AssertionError e) {
      admin.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * Starts a cluster of one node that is both broker and controller, with the defaults described on the class,
   * and waits until the broker is ready. Takes about 2 s in a fresh JVM and well under 1 s after that.
   *
   * @return the running cluster; close it when done
   * @throws IllegalStateException if the cluster fails to start (or the thread is interrupted meanwhile)
   */
  public static EmbeddedKafka start() {
    return builder().start();
  }

  /**
   * Returns a builder for a cluster with extra broker settings.
   *
   * @return a new builder with the defaults described on the class
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the address for clients.
   *
   * @return such as {@code localhost:37521}
   */
  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Returns the address of the listener that requires SASL ({@code security.protocol=SASL_PLAINTEXT}): PLAIN for the
   * users of {@link Builder#saslPlainUser(String, String)}, SCRAM-SHA-256 and SCRAM-SHA-512 for those of {@link
   * Builder#saslScramUser(String, String)}, OAUTHBEARER with tokens of {@link Builder#oauthBearer(TestOAuthServer)}.
   * Without any, the cluster has no such listener.
   *
   * @return such as {@code localhost:40163}; a different port from {@link #bootstrapServers()}, and a new one after
   *     {@link #startBroker(int)} restarts broker 0
   * @throws IllegalStateException if no SASL user was configured
   */
  public String saslPlaintextBootstrapServers() {
    return address(SecureListeners.SASL_PLAINTEXT,
        "add one with EmbeddedKafka.builder().saslPlainUser(user, password)");
  }

  /**
   * Returns the address of the TLS listener ({@code security.protocol=SSL}), whose certificate is {@link
   * TestCertificates#serverCertificate()} of the set given to {@link Builder#ssl(TestCertificates)} or {@link
   * Builder#mutualTls(TestCertificates)}; with the latter, it accepts only clients presenting a certificate signed by
   * that set's CA.
   *
   * @return such as {@code localhost:40165}; a new one after {@link #startBroker(int)} restarts broker 0
   * @throws IllegalStateException if no certificates were configured
   */
  public String sslBootstrapServers() {
    return address(SecureListeners.SSL,
        "add one with EmbeddedKafka.builder().ssl(certificates) or .mutualTls(certificates)");
  }

  /**
   * Returns the address of the listener that requires SASL over TLS ({@code security.protocol=SASL_SSL}): the SASL
   * users of {@link #saslPlaintextBootstrapServers()} behind the certificate of {@link #sslBootstrapServers()}, which
   * asks for no client certificate.
   *
   * @return such as {@code localhost:40167}; a new one after {@link #startBroker(int)} restarts broker 0
   * @throws IllegalStateException if the cluster lacks SASL users or certificates
   */
  public String saslSslBootstrapServers() {
    return address(SecureListeners.SASL_SSL,
        "it comes with a SASL user and EmbeddedKafka.builder().ssl(certificates) or .mutualTls(certificates)");
  }

  private String address(String listener, String hint) {
    String address = listenerAddresses.get(listener);
    if (address == null) {
      throw new IllegalStateException("this embedded Kafka cluster has no " + listener + " listener; " + hint);
    }
    return address;
  }

  /**
   * Returns the admin client shared by everyone using this cluster. Do not close it; {@link #close()} does.
   *
   * @return the shared admin client
   */
  @Override
  public Admin admin() {
    return admin;
  }

  /**
   * Returns consumer settings for this cluster: bootstrap servers, {@code groupId}, byte-array deserializers,
   * {@code auto.offset.reset=earliest} and {@code enable.auto.commit=false}.
   *
   * @param groupId the consumer group id
   * @return a new mutable map, so a test can add or override settings
   * @throws NullPointerException if {@code groupId} is null
   */
  @Override
  public Map<String, Object> consumerConfig(String groupId) {
    requireNonNull(groupId, "groupId");
    return ClientConfigs.consumer(bootstrapServers, groupId);
  }

  /**
   * Creates a topic with replication factor 1 and returns once every partition has a leader.
   *
   * @param name the topic name, such as one from {@link #uniqueTopic(String)}
   * @param partitions the number of partitions, {@code >= 1}
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException {@code partitions must be >= 1, but was 0}
   * @throws IllegalStateException naming the topic, if it exists already, cannot be created, or its partitions get
   *     no leader within 30 s
   */
  @Override
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, (short) 1);
  }

  /**
   * Creates a topic with {@code replicationFactor} replicas per partition (and the brokers' {@code
   * min.insync.replicas}, 1 by default) and returns once every partition has a leader.
   *
   * @param name the topic name, such as one from {@link #uniqueTopic(String)}
   * @param partitions the number of partitions, {@code >= 1}
   * @param replicationFactor the number of replicas, from 1 to the number of running brokers
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException {@code partitions must be >= 1, but was 0} or {@code replicationFactor must be
   *     >= 1, but was 0}
   * @throws IllegalStateException naming the topic, if it exists already, cannot be created (such as with more
   *     replicas than running brokers), or its partitions get no leader within 30 s
   */
  @Override
  public void createTopic(String name, int partitions, short replicationFactor) {
    requireNonNull(name, "name");
    Checks.atLeastOne("partitions", partitions);
    Checks.atLeastOne("replicationFactor", replicationFactor);
    calls.createTopic(name, partitions, replicationFactor);
  }

  /**
   * Returns a topic name no other call in this JVM returns: {@code prefix-<counter>-<6 random hex digits>}. The
   * random part keeps names distinct across JVM runs against the same cluster too.
   *
   * @param prefix the start of the name: 1 to 200 of {@code a-z A-Z 0-9 . _ -}
   * @return such as {@code orders-3-a3f9c2}
   * @throws NullPointerException if {@code prefix} is null
   * @throws IllegalArgumentException if {@code prefix} is empty, too long or has other characters
   */
  public static String uniqueTopic(String prefix) {
    return UniqueNames.next(prefix);
  }

  /**
   * Returns a consumer group id no other call in this JVM returns, formed like {@link #uniqueTopic(String)}.
   *
   * @param prefix the start of the id: 1 to 200 of {@code a-z A-Z 0-9 . _ -}
   * @return such as {@code agent-4-0b71fe}
   * @throws NullPointerException if {@code prefix} is null
   * @throws IllegalArgumentException if {@code prefix} is empty, too long or has other characters
   */
  public static String uniqueGroup(String prefix) {
    return UniqueNames.next(prefix);
  }

  /**
   * Sends records and waits until the cluster has acknowledged every one.
   *
   * <p>The records go through one shared, idempotent producer ({@code acks=all}, {@code linger.ms=5}) created on
   * first use, so records for one partition are written in list order.
   *
   * @param records the records; their topics must exist
   * @return the number of records acknowledged, which is {@code records.size()}
   * @throws NullPointerException if {@code records} or one of them is null
   * @throws IllegalStateException if any record failed or was not acknowledged within 30 s; the message counts the
   *     failures, the cause is the first failure and the others are suppressed
   */
  @Override
  public int produce(List<ProducerRecord<byte[], byte[]>> records) {
    return producer.produce(records);
  }

  /**
   * Returns the end offset (the offset the next record will get) of every partition of a topic.
   *
   * @param topic an existing topic
   * @return an unmodifiable map from partition number to end offset, sorted by partition
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalStateException naming the topic, if it does not exist or the offsets cannot be read in 30 s
   */
  @Override
  public Map<Integer, Long> endOffsets(String topic) {
    requireNonNull(topic, "topic");
    return calls.endOffsets(topic);
  }

  /**
   * Reads every record of a topic, from the beginning to the end offsets as they are when called, with a
   * consumer that joins no group.
   *
   * @param topic an existing topic
   * @return the records, in order within each partition
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalStateException naming the topic, if it does not exist
   * @throws AssertionError if the records cannot be read within 60 s
   */
  @Override
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return TopicReader.readAll(this, requireNonNull(topic, "topic"));
  }

  /**
   * Returns the offsets a consumer group has committed for a topic.
   *
   * @param groupId the consumer group id
   * @param topic the topic
   * @return an unmodifiable map from partition number to committed offset, sorted by partition; partitions without
   *     a committed offset are absent, so an unknown group gives an empty map
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException naming the group, if the offsets cannot be read in 30 s
   */
  @Override
  public Map<Integer, Long> committedOffsets(String groupId, String topic) {
    requireNonNull(groupId, "groupId");
    requireNonNull(topic, "topic");
    return calls.committedOffsets(groupId, topic);
  }

  /**
   * Stops broker {@code id} with a controlled shutdown (its partition leaderships move to other in-sync replicas
   * first) and returns once it is down: after 0.1 to 0.5 s, or about 2.3 s the first time among several brokers. In
   * node 0 only the broker stops; the controller keeps running. Until {@link #startBroker(int)}, partitions with no
   * other in-sync replica have no leader. With every broker down, sends and admin calls time out, though in
   * kafka-clients 4.1.1 {@code describeTopics} ignores its {@code timeoutMs} and waits {@code default.api.timeout.ms}.
   *
   * @param id the broker id, one of {@link #brokerIds()}
   * @throws IllegalArgumentException {@code no broker with id 7; the broker ids are [0, 1, 2]}
   * @throws IllegalStateException {@code broker 0 is already stopped}, or if the cluster is closed
   */
  public void stopBroker(int id) {
    brokers.stop(id, OPERATION_TIMEOUT);
  }

  /**
   * Starts broker {@code id}, stopped by {@link #stopBroker(int)}, again in place: same data and port, so {@link
   * #bootstrapServers()} stays valid and clients reconnect by themselves (only the SASL and TLS listeners get new
   * ports, see {@link #saslPlaintextBootstrapServers()}). Returns once every running broker sees all running brokers
   * ready, after 0.2 to 0.7 s, and broker 0 holds the SCRAM users again.
   *
   * @param id the broker id, one of {@link #brokerIds()}
   * @throws IllegalArgumentException {@code no broker with id 7; the broker ids are [0, 1, 2]}
   * @throws IllegalStateException {@code broker 0 is already running}, if the cluster is closed, if the broker fails
   *     to start ({@code broker 0 failed to start again: <cause>}), or if the brokers are not ready within 60 s
   *     ({@code timed out after PT1M waiting for brokers [0, 1] to be ready after restarting broker 1})
   */
  public void startBroker(int id) {
    brokers.start(id);
    if (id == 0 && !listenerAddresses.isEmpty()) {
      listenerAddresses = listeners.addresses(cluster);
      listeners.awaitScramUsers(cluster, OPERATION_TIMEOUT);
    }
  }

  /**
   * Tells whether a broker is running: not stopped by {@link #stopBroker(int)} since it last started, and the
   * cluster not closed.
   *
   * @param id the broker id, one of {@link #brokerIds()}
   * @return whether the broker is running
   * @throws IllegalArgumentException {@code no broker with id 7; the broker ids are [0, 1, 2]}
   */
  public boolean isBrokerRunning(int id) {
    return brokers.isRunning(id);
  }

  /**
   * Returns the ids of the brokers, running or not: {@code 0} to {@code brokers - 1}.
   *
   * @return an unmodifiable list in ascending order, such as {@code [0, 1, 2]}
   */
  public List<Integer> brokerIds() {
    return brokers.ids();
  }

  /**
   * Closes the producer, the admin client and the cluster, and deletes the cluster's data. Idempotent.
   *
   * @throws IllegalStateException if the cluster recorded a fault while it ran (the kit rethrows it on close) or
   *     fails to stop; the clients are closed regardless
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    brokers.close(); // waits for a restart in progress, so the cluster is not closed under it
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
    ClusterLauncher.close(cluster);
  }

  /** Returns {@code EmbeddedKafka[localhost:37521]}. */
  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers + (closed.get() ? ", closed" : "") + "]";
  }

  /**
   * Configures an {@link EmbeddedKafka} cluster; each setter checks its value at once. Not thread-safe.
   *
   * <p>Defaults: one node that is broker and controller, and the broker settings described on {@link
   * EmbeddedKafka}.
   */
  public static final class Builder {
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final Map<Integer, Map<String, String>> perBrokerProperties = new TreeMap<>();
    private final Map<String, String> saslPlainUsers = new LinkedHashMap<>();
    private final Map<String, String> saslScramUsers = new LinkedHashMap<>();
    private TestCertificates certificates;
    private boolean requireClientCertificates;
    private TestOAuthServer oauthServer;
    private int brokers = 1;

    private Builder() {}

    /**
     * Adds a broker setting, or overrides one of the defaults described on {@link EmbeddedKafka}; it applies to
     * every node. Setting the same key again replaces the earlier value.
     *
     * @param key the setting, such as {@code message.max.bytes}
     * @param value its value, such as {@code 2097152}
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code key} is blank
     */
    public Builder brokerProperty(String key, String value) {
      requireNonNull(value, "value");
      brokerProperties.put(Checks.brokerPropertyKey(key), value);
      return this;
    }

    /**
     * Adds a setting for broker {@code brokerId} only, applied after every other setting of that node, including the
     * test kit's own (such as {@code listeners}). Use it for what must differ from broker to broker, such as {@code
     * advertised.listeners}. Setting the same key of the same broker again replaces the earlier value. Default none.
     *
     * @param brokerId the broker id, {@code 0} to {@code brokers - 1}; checked against {@link #brokers(int)} by {@link
     *     #start()}
     * @param key the setting, such as {@code advertised.listeners}
     * @param value its value
     * @return this builder
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalArgumentException {@code brokerId must be >= 0, but was -1}, or if {@code key} is blank
     */
    public Builder brokerProperty(int brokerId, String key, String value) {
      if (brokerId < 0) {
        throw new IllegalArgumentException("brokerId must be >= 0, but was " + brokerId);
      }
      requireNonNull(value, "value");
      perBrokerProperties.computeIfAbsent(brokerId, id -> new LinkedHashMap<>())
          .put(Checks.brokerPropertyKey(key), value);
      return this;
    }

    /**
     * Sets the number of brokers. Default 1. Node 0 is broker and the only controller; the others are brokers only
     * (three combined controllers are unreliable in the Kafka test kit). Internal topics keep replication factor 1
     * unless overridden with {@link #brokerProperty(String, String)}.
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
     * Adds a user that may authenticate with SASL/PLAIN at {@link EmbeddedKafka#saslPlaintextBootstrapServers()}.
     * Default: no users and no SASL listener. Call it once per user; calling it again for the same user replaces the
     * password.
     *
     * <p>The first SASL user (of any mechanism) adds a second broker listener, {@code SASL_PLAINTEXT} on a free port;
     * PLAIN users add {@code PLAIN} to {@code sasl.enabled.mechanisms} and the JAAS line {@code
     * listener.name.sasl_plaintext.plain.sasl.jaas.config} listing every user. The kit's plain listener stays the
     * inter-broker listener and serves {@link EmbeddedKafka#bootstrapServers()}, {@link EmbeddedKafka#admin()} and the
     * other helpers, which therefore never authenticate. Authentication only: there is no authorizer, so every user
     * may do everything. Listener settings given to {@link #brokerProperty(String, String)} are extended, not
     * replaced. Only a single-broker cluster supports it.
     *
     * @param user the user name: 1 to 100 of {@code a-z A-Z 0-9 . _ -}
     * @param password the password, not empty
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code user} is empty, too long or has other characters, or {@code
     *     password} is empty
     */
    public Builder saslPlainUser(String user, String password) {
      Checks.saslPlainUser(user, password);
      saslPlainUsers.put(user, password);
      return this;
    }

    /**
     * Adds a user that may authenticate with SCRAM-SHA-256 and with SCRAM-SHA-512 at {@link
     * EmbeddedKafka#saslPlaintextBootstrapServers()} (and {@link EmbeddedKafka#saslSslBootstrapServers()}). Default
     * none. Calling it again for the same user replaces the password.
     *
     * <p>The first user adds the SASL listener described at {@link #saslPlainUser(String, String)}, with both SCRAM
     * mechanisms enabled. SCRAM credentials live in the cluster's metadata, so they are created after startup, through
     * the plain listener ({@code Admin.alterUserScramCredentials}, 4096 iterations), and {@link #start()} returns once
     * the broker holds them. Only a single-broker cluster supports it.
     *
     * @param user the user name: 1 to 100 of {@code a-z A-Z 0-9 . _ -}
     * @param password the password, not empty
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code user} is empty, too long or has other characters, or {@code
     *     password} is empty
     */
    public Builder saslScramUser(String user, String password) {
      Checks.saslPlainUser(user, password);
      saslScramUsers.put(user, password);
      return this;
    }

    /**
     * Adds a TLS listener at {@link EmbeddedKafka#sslBootstrapServers()} with the server certificate of {@code
     * certificates} (for {@code localhost} and {@code 127.0.0.1}), asking for no client certificate. With SASL users
     * it also adds a {@code SASL_SSL} listener. Default: no TLS. Replaces an earlier {@link
     * #mutualTls(TestCertificates)}. Only a single-broker cluster supports it.
     *
     * @param certificates the certificates; clients trust {@link TestCertificates#caCertificate()}
     * @return this builder
     * @throws NullPointerException if {@code certificates} is null
     */
    public Builder ssl(TestCertificates certificates) {
      this.certificates = requireNonNull(certificates, "certificates");
      this.requireClientCertificates = false;
      return this;
    }

    /**
     * As {@link #ssl(TestCertificates)}, but the TLS listener requires a client certificate signed by the CA of {@code
     * certificates} ({@code ssl.client.auth=required}), such as {@link TestCertificates#clientCertificate()}. The
     * {@code SASL_SSL} listener, if any, does not. Replaces an earlier {@link #ssl(TestCertificates)}.
     *
     * @param certificates the certificates; clients trust {@link TestCertificates#caCertificate()}
     * @return this builder
     * @throws NullPointerException if {@code certificates} is null
     */
    public Builder mutualTls(TestCertificates certificates) {
      this.certificates = requireNonNull(certificates, "certificates");
      this.requireClientCertificates = true;
      return this;
    }

    /**
     * Enables OAUTHBEARER on the SASL listener (see {@link #saslPlainUser(String, String)}), validating tokens with
     * Kafka's {@code OAuthBearerValidatorCallbackHandler} against the JWKS endpoint of {@code server}: its clients may
     * then authenticate. Default: no OAUTHBEARER. The server must be running until the cluster is closed. Only a
     * single-broker cluster supports it.
     *
     * @param server the identity provider
     * @return this builder
     * @throws NullPointerException if {@code server} is null
     */
    public Builder oauthBearer(TestOAuthServer server) {
      this.oauthServer = requireNonNull(server, "server");
      return this;
    }

    /**
     * Formats and starts the cluster and waits until every broker is ready, and the SCRAM users, if any, can log in.
     *
     * @return the running cluster; close it when done
     * @throws IllegalStateException if SASL users, certificates or an OAuth server were added to a cluster of more than
     *     one broker, if a per-broker setting names a broker the cluster does not have, if a broker property
     *     conflicts with them (a JAAS line or key store they set), or if the cluster fails to start (or the thread is interrupted meanwhile); whatever had started is stopped again
     */
    public EmbeddedKafka start() {
      SecureListeners listeners =
          new SecureListeners(saslPlainUsers, saslScramUsers, certificates, requireClientCertificates, oauthServer);
      return ClusterLauncher.launch(brokers, brokerProperties, perBrokerProperties, listeners,
          cluster -> new EmbeddedKafka(cluster, listeners));
    }
  }
}
