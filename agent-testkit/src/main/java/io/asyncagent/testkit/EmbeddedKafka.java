package io.asyncagent.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * A real Apache Kafka cluster (KRaft) running inside the test JVM, with helpers for the chores of broker tests:
 * creating topics, producing records and reading offsets.
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
 * <p>Clients connect without authentication to {@link #bootstrapServers()}. For SASL tests, {@link
 * Builder#saslPlainUser(String, String)} adds a second listener that requires SASL/PLAIN, at {@link
 * #saslPlaintextBootstrapServers()}; the helpers here keep using the plain one.
 *
 * <p>In JUnit 5 tests prefer {@link WithEmbeddedKafka}, which shares one instance per test class. Every operation
 * here waits at most 30 seconds. All methods are thread-safe.
 */
public final class EmbeddedKafka implements AutoCloseable {
  /** How long each admin call or produce batch may take before the test fails instead of hanging. */
  static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(30);

  private static final AtomicLong NAME_COUNTER = new AtomicLong();
  private static final Pattern NAME_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{1,200}");
  // A SASL user becomes part of a JAAS option name, user_<name>, which Kafka's JAAS parser reads as one word.
  private static final Pattern SASL_USER = Pattern.compile("[a-zA-Z0-9._-]{1,100}");

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;
  private final Optional<String> saslPlaintextBootstrapServers;
  private final Admin admin;
  private final AdminCalls calls;
  private final AtomicBoolean closed = new AtomicBoolean();
  private KafkaProducer<byte[], byte[]> producer; // guarded by this; created on first produce()

  private EmbeddedKafka(KafkaClusterTestKit cluster, boolean saslPlaintext) {
    this.cluster = cluster;
    this.bootstrapServers = cluster.bootstrapServers();
    this.saslPlaintextBootstrapServers =
        saslPlaintext
            ? Optional.of("localhost:" + ClusterLauncher.boundPort(cluster, ClusterLauncher.SASL_LISTENER))
            : Optional.empty();
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    this.calls = new AdminCalls(admin, OPERATION_TIMEOUT);
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
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Returns the address of the listener that requires SASL/PLAIN ({@code security.protocol=SASL_PLAINTEXT},
   * {@code sasl.mechanism=PLAIN}) and accepts the users given to {@link Builder#saslPlainUser(String, String)}.
   * Without SASL users the cluster has no such listener.
   *
   * @return such as {@code localhost:40163}; a different port from {@link #bootstrapServers()}
   * @throws IllegalStateException if no SASL user was configured
   */
  public String saslPlaintextBootstrapServers() {
    return saslPlaintextBootstrapServers.orElseThrow(
        () ->
            new IllegalStateException(
                "this embedded Kafka cluster has no SASL_PLAINTEXT listener; "
                    + "add one with EmbeddedKafka.builder().saslPlainUser(user, password)"));
  }

  /**
   * Returns the admin client shared by everyone using this cluster. Do not close it; {@link #close()} does.
   *
   * @return the shared admin client
   */
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
  public Map<String, Object> consumerConfig(String groupId) {
    requireNonNull(groupId, "groupId");
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
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
  public void createTopic(String name, int partitions) {
    requireNonNull(name, "name");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, but was " + partitions);
    }
    String what = "create topic '" + name + "'";
    calls.await(admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all(), what);
    long deadline = System.nanoTime() + OPERATION_TIMEOUT.toNanos();
    // createTopics completes when the controller has accepted the topic; the broker learns of it a little later.
    while (!calls.allPartitionsHaveLeaders(name, partitions)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "could not " + what + ": its partitions had no leaders after " + OPERATION_TIMEOUT);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
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
    return uniqueName(prefix);
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
    return uniqueName(prefix);
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
  public int produce(List<ProducerRecord<byte[], byte[]>> records) {
    requireNonNull(records, "records");
    KafkaProducer<byte[], byte[]> producer = producer();
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    List<Exception> failures = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> record : records) {
      requireNonNull(record, "record");
      try {
        acks.add(producer.send(record));
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    long deadline = System.nanoTime() + OPERATION_TIMEOUT.toNanos();
    for (Future<RecordMetadata> ack : acks) {
      try {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        failures.add(e.getCause() instanceof Exception ? (Exception) e.getCause() : e);
      } catch (TimeoutException e) {
        failures.add(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while producing " + records.size() + " records", e);
      }
    }
    if (!failures.isEmpty()) {
      IllegalStateException failed =
          new IllegalStateException(
              "failed to produce " + failures.size() + " of " + records.size() + " records: " + failures.get(0),
              failures.get(0));
      failures.subList(1, failures.size()).forEach(failed::addSuppressed);
      throw failed;
    }
    return records.size();
  }

  /**
   * Returns the end offset (the offset the next record will get) of every partition of a topic.
   *
   * @param topic an existing topic
   * @return an unmodifiable map from partition number to end offset, sorted by partition
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalStateException naming the topic, if it does not exist or the offsets cannot be read in 30 s
   */
  public Map<Integer, Long> endOffsets(String topic) {
    requireNonNull(topic, "topic");
    return calls.endOffsets(topic);
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
  public Map<Integer, Long> committedOffsets(String groupId, String topic) {
    requireNonNull(groupId, "groupId");
    requireNonNull(topic, "topic");
    return calls.committedOffsets(groupId, topic);
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
    Duration clientTimeout = Duration.ofSeconds(5);
    synchronized (this) {
      if (producer != null) {
        producer.close(clientTimeout);
      }
    }
    admin.close(clientTimeout);
    try {
      cluster.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the embedded Kafka cluster", e);
    } catch (Exception e) {
      throw new IllegalStateException("the embedded Kafka cluster failed: " + e, e);
    }
  }

  /** Returns {@code EmbeddedKafka[localhost:37521]}. */
  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers + (closed.get() ? ", closed" : "") + "]";
  }

  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (closed.get()) {
      throw new IllegalStateException("this embedded Kafka cluster is closed");
    }
    if (producer == null) {
      Map<String, Object> config = new HashMap<>();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) OPERATION_TIMEOUT.toMillis());
      // The producer insists on delivery.timeout.ms >= linger.ms + request.timeout.ms (default 30 s).
      config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) OPERATION_TIMEOUT.toMillis());
      config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      producer = new KafkaProducer<>(config);
    }
    return producer;
  }

  private static String uniqueName(String prefix) {
    requireNonNull(prefix, "prefix");
    if (!NAME_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "prefix must be 1 to 200 of a-z A-Z 0-9 . _ -, but was '" + prefix + "'");
    }
    String random = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    return prefix + "-" + NAME_COUNTER.incrementAndGet() + "-" + random;
  }

  /**
   * Configures an {@link EmbeddedKafka} cluster; each setter checks its value at once. Not thread-safe.
   *
   * <p>Defaults: one node that is broker and controller, and the broker settings described on {@link
   * EmbeddedKafka}.
   */
  public static final class Builder {
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final Map<String, String> saslPlainUsers = new LinkedHashMap<>();
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
      requireNonNull(key, "key");
      requireNonNull(value, "value");
      if (key.isBlank()) {
        throw new IllegalArgumentException("broker property key must not be blank");
      }
      brokerProperties.put(key, value);
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
      if (brokers < 1) {
        throw new IllegalArgumentException("brokers must be >= 1, but was " + brokers);
      }
      this.brokers = brokers;
      return this;
    }

    /**
     * Adds a user that may authenticate with SASL/PLAIN at {@link EmbeddedKafka#saslPlaintextBootstrapServers()}.
     * Default: no users and no SASL listener. Call it once per user; calling it again for the same user replaces the
     * password.
     *
     * <p>The first user adds a second broker listener, {@code SASL_PLAINTEXT} on a free port, with {@code
     * sasl.enabled.mechanisms=PLAIN} and the JAAS line {@code listener.name.sasl_plaintext.plain.sasl.jaas.config}
     * listing every user. The kit's plain listener stays the inter-broker listener and serves {@link
     * EmbeddedKafka#bootstrapServers()}, {@link EmbeddedKafka#admin()} and the other helpers, which therefore never
     * authenticate. Authentication only: there is no authorizer, so every user may do everything. Listener settings
     * given to {@link #brokerProperty(String, String)} are extended, not replaced. Only a single-broker cluster
     * supports it.
     *
     * @param user the user name: 1 to 100 of {@code a-z A-Z 0-9 . _ -}
     * @param password the password, not empty
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code user} is empty, too long or has other characters, or {@code
     *     password} is empty
     */
    public Builder saslPlainUser(String user, String password) {
      requireNonNull(user, "user");
      requireNonNull(password, "password");
      if (!SASL_USER.matcher(user).matches()) {
        throw new IllegalArgumentException(
            "SASL user must be 1 to 100 of a-z A-Z 0-9 . _ -, but was '" + user + "'");
      }
      if (password.isEmpty()) {
        throw new IllegalArgumentException("SASL password of user '" + user + "' must not be empty");
      }
      saslPlainUsers.put(user, password);
      return this;
    }

    /**
     * Formats and starts the cluster and waits until every broker is ready.
     *
     * @return the running cluster; close it when done
     * @throws IllegalStateException if SASL users were added to a cluster of more than one broker, if a broker
     *     property conflicts with them (the JAAS line they set), or if the cluster fails to start (or the thread is
     *     interrupted meanwhile); whatever had started is stopped again
     */
    public EmbeddedKafka start() {
      if (!saslPlainUsers.isEmpty() && brokers > 1) {
        throw new IllegalStateException(
            "saslPlainUser(user, password) needs a single-broker cluster, but brokers was " + brokers);
      }
      KafkaClusterTestKit cluster = ClusterLauncher.launch(brokers, brokerProperties, saslPlainUsers);
      try {
        return new EmbeddedKafka(cluster, !saslPlainUsers.isEmpty());
      } catch (RuntimeException e) {
        ClusterLauncher.closeQuietly(cluster, e);
        throw e;
      }
    }
  }
}
