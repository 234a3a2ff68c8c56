package io.asyncagent.testkit;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A running Kafka cluster for tests, whatever runs it, with helpers for the chores of broker tests: creating topics,
 * producing records and reading offsets.
 *
 * <p>There are two: {@link EmbeddedKafka}, a real broker inside the test JVM, and a broker in a Docker container
 * (Testcontainers' {@code KafkaContainer}). A test that takes a {@code KafkaCluster} parameter under {@link
 * WithEmbeddedKafka} runs on either; which one is chosen by {@value EmbeddedKafkaExtension#BACKING_PROPERTY}, see
 * {@link EmbeddedKafkaExtension}. A test that needs what only the in-JVM broker can do (stopping and starting
 * brokers, several brokers, SASL and TLS listeners) takes an {@link EmbeddedKafka} instead.
 *
 * <p>Both behave alike: one broker unless built otherwise, {@code auto.create.topics.enable=false}, internal topics
 * with replication factor 1, no delay before the first group rebalance. Clients connect without authentication to
 * {@link #bootstrapServers()}. Every operation waits at most 30 seconds (reading a topic at most 60) and then fails
 * rather than hangs. All methods are thread-safe.
 *
 * <p>This interface is sealed: this library may add methods to it, and only its own clusters implement it.
 */
public sealed interface KafkaCluster extends AutoCloseable permits EmbeddedKafka, ContainerKafka {
  /**
   * Returns a topic name no other call in this JVM returns: {@code prefix-<counter>-<6 random hex digits>}. The random
   * part keeps names distinct across JVM runs against the same cluster too. The same as {@link
   * EmbeddedKafka#uniqueTopic(String)}.
   *
   * @param prefix the start of the name: 1 to 200 of {@code a-z A-Z 0-9 . _ -}
   * @return such as {@code orders-3-a3f9c2}
   * @throws NullPointerException if {@code prefix} is null
   * @throws IllegalArgumentException if {@code prefix} is empty, too long or has other characters
   */
  static String uniqueTopic(String prefix) {
    return UniqueNames.next(prefix);
  }

  /**
   * Returns a consumer group id no other call in this JVM returns, formed like {@link #uniqueTopic(String)}. The same
   * as {@link EmbeddedKafka#uniqueGroup(String)}.
   *
   * @param prefix the start of the id: 1 to 200 of {@code a-z A-Z 0-9 . _ -}
   * @return such as {@code agent-4-0b71fe}
   * @throws NullPointerException if {@code prefix} is null
   * @throws IllegalArgumentException if {@code prefix} is empty, too long or has other characters
   */
  static String uniqueGroup(String prefix) {
    return UniqueNames.next(prefix);
  }

  /**
   * Returns the address for clients, which need no authentication there.
   *
   * @return such as {@code localhost:37521}
   */
  String bootstrapServers();

  /**
   * Returns the admin client shared by everyone using this cluster. Do not close it; {@link #close()} does.
   *
   * @return the shared admin client
   */
  Admin admin();

  /**
   * Returns consumer settings for this cluster: bootstrap servers, {@code groupId}, byte-array deserializers, {@code
   * auto.offset.reset=earliest} and {@code enable.auto.commit=false}.
   *
   * @param groupId the consumer group id
   * @return a new mutable map, so a test can add or override settings
   * @throws NullPointerException if {@code groupId} is null
   */
  Map<String, Object> consumerConfig(String groupId);

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
  void createTopic(String name, int partitions);

  /**
   * Creates a topic with {@code replicationFactor} replicas per partition and returns once every partition has a
   * leader.
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
  void createTopic(String name, int partitions, short replicationFactor);

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
  int produce(List<ProducerRecord<byte[], byte[]>> records);

  /**
   * Returns the end offset (the offset the next record will get) of every partition of a topic.
   *
   * @param topic an existing topic
   * @return an unmodifiable map from partition number to end offset, sorted by partition
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalStateException naming the topic, if it does not exist or the offsets cannot be read in 30 s
   */
  Map<Integer, Long> endOffsets(String topic);

  /**
   * Reads every record of a topic, from the beginning to the end offsets as they are when called, with a consumer
   * that joins no group.
   *
   * @param topic an existing topic
   * @return the records, in order within each partition
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalStateException naming the topic, if it does not exist
   * @throws AssertionError if the records cannot be read within 60 s
   */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic);

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
  Map<Integer, Long> committedOffsets(String groupId, String topic);

  /**
   * Closes the shared producer and admin client, stops the cluster and deletes its data. Idempotent.
   *
   * @throws IllegalStateException if the cluster fails to stop cleanly; the clients are closed regardless
   */
  @Override
  void close();
}
