package io.asyncagent.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link KafkaCluster} whose one broker runs in a Docker container (Testcontainers' {@code KafkaContainer}, an
 * {@code apache/kafka} image), configured with {@link EmbeddedKafka}'s default broker settings.
 *
 * <p>The only class that names Testcontainers types, which are an optional dependency: nothing loads it unless the
 * backing is {@code testcontainers}.
 */
final class ContainerKafka implements KafkaCluster {
  private final KafkaContainer container;
  private final String image;
  private final String bootstrapServers;
  private final Admin admin;
  private final AdminCalls calls;
  private final SharedProducer producer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ContainerKafka(KafkaContainer container, String image) {
    this.container = container;
    this.image = image;
    this.bootstrapServers = container.getBootstrapServers();
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    this.calls = new AdminCalls(admin, EmbeddedKafka.OPERATION_TIMEOUT);
    this.producer = new SharedProducer(bootstrapServers, EmbeddedKafka.OPERATION_TIMEOUT);
  }

  /**
   * Starts a container of {@code image} and waits until its broker is ready.
   *
   * @throws IllegalStateException if the image is not an {@code apache/kafka} one or the container fails to start
   */
  static ContainerKafka start(String image) {
    KafkaContainer container;
    try {
      container =
          new KafkaContainer(DockerImageName.parse(image))
              .withEnv(environment(ClusterLauncher.DEFAULT_BROKER_PROPERTIES));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot run Kafka from the image '" + image + "': " + e.getMessage(), e);
    }
    try {
      container.start();
      return new ContainerKafka(container, image);
    } catch (RuntimeException e) {
      IllegalStateException failure =
          new IllegalStateException("the Kafka container " + image + " failed to start: " + e, e);
      try {
        container.stop();
      } catch (RuntimeException stopFailure) {
        failure.addSuppressed(stopFailure);
      }
      throw failure;
    }
  }

  /**
   * Turns broker settings into the environment variables the {@code apache/kafka} image reads: {@code KAFKA_}, then
   * the key upper-cased with {@code .} as {@code _}, {@code _} as {@code __} and {@code -} as {@code ___}.
   */
  static Map<String, String> environment(Map<String, String> brokerProperties) {
    Map<String, String> environment = new LinkedHashMap<>();
    brokerProperties.forEach((key, value) -> {
      StringBuilder name = new StringBuilder("KAFKA_");
      for (char c : key.toUpperCase(Locale.ROOT).toCharArray()) {
        name.append(c == '.' ? "_" : c == '_' ? "__" : c == '-' ? "___" : String.valueOf(c));
      }
      environment.put(name.toString(), value);
    });
    return environment;
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public Admin admin() {
    return admin;
  }

  @Override
  public Map<String, Object> consumerConfig(String groupId) {
    requireNonNull(groupId, "groupId");
    return ClientConfigs.consumer(bootstrapServers, groupId);
  }

  @Override
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, (short) 1);
  }

  @Override
  public void createTopic(String name, int partitions, short replicationFactor) {
    requireNonNull(name, "name");
    Checks.atLeastOne("partitions", partitions);
    Checks.atLeastOne("replicationFactor", replicationFactor);
    calls.createTopic(name, partitions, replicationFactor);
  }

  @Override
  public int produce(List<ProducerRecord<byte[], byte[]>> records) {
    return producer.produce(records);
  }

  @Override
  public Map<Integer, Long> endOffsets(String topic) {
    requireNonNull(topic, "topic");
    return calls.endOffsets(topic);
  }

  @Override
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return TopicReader.readAll(this, requireNonNull(topic, "topic"));
  }

  @Override
  public Map<Integer, Long> committedOffsets(String groupId, String topic) {
    requireNonNull(groupId, "groupId");
    requireNonNull(topic, "topic");
    return calls.committedOffsets(groupId, topic);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
    try {
      container.stop();
    } catch (RuntimeException e) {
      throw new IllegalStateException("the Kafka container " + image + " failed to stop: " + e, e);
    }
  }

  /** Returns {@code ContainerKafka[apache/kafka:4.1.1, localhost:32771]}. */
  @Override
  public String toString() {
    return "ContainerKafka[" + image + ", " + bootstrapServers + (closed.get() ? ", closed" : "") + "]";
  }
}
