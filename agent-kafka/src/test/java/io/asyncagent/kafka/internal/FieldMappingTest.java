package io.asyncagent.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.IsolationLevel;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.RebalanceStrategy;
import io.asyncagent.kafka.Sasl;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per KrakenD field of the Kafka driver: the field set away from its default changes exactly these
 * consumer properties and no others. A field with an empty change maps onto our own behaviour, not onto a
 * property (docs/configuration.md says which).
 */
class FieldMappingTest {
  private static final int CAPACITY = 1_000;

  static Stream<Arguments> fields() {
    return Stream.of(
        row("cluster.brokers", d -> d.cluster(cluster().brokers("k1:9092", "k2:9093").build()),
            Map.of("bootstrap.servers", "k1:9092,k2:9093")),
        row("cluster.channel_buffer_size", d -> d.cluster(cluster().channelBufferSize(64).build()),
            Map.of("max.poll.records", 64)),
        row("cluster.client_id", d -> d.cluster(cluster().clientId("cid_stocks").build()),
            Map.of("client.id", "cid_stocks")),
        row("cluster.dial_timeout", d -> d.cluster(cluster().dialTimeout(Duration.ofSeconds(5)).build()),
            Map.of("socket.connection.setup.timeout.ms", 5_000L, "socket.connection.setup.timeout.max.ms", 5_000L)),
        row("cluster.keep_alive", d -> d.cluster(cluster().keepAlive(Duration.ofSeconds(15)).build()),
            Map.of()),
        row("cluster.metadata_retry_backoff",
            d -> d.cluster(cluster().metadataRetryBackoff(Duration.ofSeconds(1)).build()),
            Map.of("retry.backoff.ms", 1_000L)),
        row("cluster.metadata_retry_max", d -> d.cluster(cluster().metadataRetryMax(10).build()),
            Map.of()),
        row("cluster.rack_id", d -> d.cluster(cluster().rackId("eu-west-1a").build()),
            Map.of("client.rack", "eu-west-1a")),
        row("cluster.read_timeout", d -> d.cluster(cluster().readTimeout(Duration.ofSeconds(45)).build()),
            Map.of("request.timeout.ms", 45_000)),
        row("cluster.write_timeout", d -> d.cluster(cluster().writeTimeout(Duration.ofSeconds(40)).build()),
            Map.of("request.timeout.ms", 40_000)),
        row("cluster.sasl", d -> d.cluster(cluster().sasl(Sasl.plain("johnsmith", "myp4ssword")).build()),
            Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"johnsmith\" password=\"myp4ssword\";")),
        row("group.fetch_default", d -> d.group(group().fetchDefault(4_096).build()),
            Map.of("max.partition.fetch.bytes", 4_096)),
        row("group.heartbeat_interval", d -> d.group(group().heartbeatInterval(Duration.ofSeconds(1)).build()),
            Map.of("heartbeat.interval.ms", 1_000)),
        row("group.id", d -> d.group(Group.of("billing")),
            Map.of("group.id", "billing")),
        row("group.instance_id", d -> d.group(group().instanceId("agent-1").build()),
            Map.of("group.instance.id", "agent-1")),
        row("group.isolation_level", d -> d.group(group().isolationLevel(IsolationLevel.READ_UNCOMMITTED).build()),
            Map.of("isolation.level", "read_uncommitted")),
        row("group.rebalance_strategies",
            d -> d.group(group().rebalanceStrategies(RebalanceStrategy.STICKY, RebalanceStrategy.ROUND_ROBIN).build()),
            Map.of("partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.StickyAssignor,org.apache.kafka.clients.consumer.RoundRobinAssignor")),
        row("group.rebalance_timeout", d -> d.group(group().rebalanceTimeout(Duration.ofMinutes(2)).build()),
            Map.of("max.poll.interval.ms", 120_000)),
        row("group.session_timeout", d -> d.group(group().sessionTimeout(Duration.ofSeconds(30)).build()),
            Map.of("session.timeout.ms", 30_000)),
        row("key_meta", d -> d.keyMeta("Message-Id"),
            Map.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fields")
  void eachFieldChangesExactlyItsProperties(String field, UnaryOperator<KafkaDriver.Builder> change,
      Map<String, Object> expected) {
    Map<String, Object> before = ConsumerProperties.of(defaults().build(), "stocks", CAPACITY);
    Map<String, Object> after = ConsumerProperties.of(change.apply(defaults()).build(), "stocks", CAPACITY);

    assertThat(changed(before, after)).as(field).isEqualTo(expected);
  }

  private static Arguments row(String field, UnaryOperator<KafkaDriver.Builder> change, Map<String, Object> expected) {
    return Arguments.of(field, change, expected);
  }

  private static KafkaDriver.Builder defaults() {
    return KafkaDriver.builder().cluster(cluster().build()).group(group().build());
  }

  private static Cluster.Builder cluster() {
    return Cluster.builder().brokers("k:9092");
  }

  private static Group.Builder group() {
    return Group.builder().id("stocks");
  }

  /** The entries of {@code after} that {@code before} lacks or holds with another value. */
  private static Map<String, Object> changed(Map<String, Object> before, Map<String, Object> after) {
    Map<String, Object> changed = new HashMap<>();
    after.forEach((key, value) -> {
      if (!Objects.equals(before.get(key), value)) {
        changed.put(key, value);
      }
    });
    before.keySet().stream().filter(key -> !after.containsKey(key)).forEach(key -> changed.put(key, "<removed>"));
    return changed;
  }
}
