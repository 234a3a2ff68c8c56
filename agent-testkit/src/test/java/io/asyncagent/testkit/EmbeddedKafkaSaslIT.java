package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A cluster with SASL/PLAIN users: a second listener that authenticates, next to the kit's plain one. */
class EmbeddedKafkaSaslIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startAClusterWithTwoSaslUsers() {
    kafka =
        EmbeddedKafka.builder()
            .saslPlainUser("alice", "alice-secret")
            .saslPlainUser("svc.bob-2", "bob \"quoted\" \\ secret")
            .start();
  }

  @AfterAll
  static void stopTheCluster() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static Map<String, Object> saslConsumerConfig(String group, String user, String password) {
    Map<String, Object> config = kafka.consumerConfig(group);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.saslPlaintextBootstrapServers());
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    config.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
            + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
    return config;
  }

  @Test
  void aPlainConsumerWithTheRightCredentialsReadsFromTheSaslPort() {
    String topic = EmbeddedKafka.uniqueTopic("sasl");
    String group = EmbeddedKafka.uniqueGroup("sasl");
    kafka.createTopic(topic, 3);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(300).distinctKeys(10);
    kafka.produce(batch.records());

    Set<String> values = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(saslConsumerConfig(group, "alice", "alice-secret"))) {
      consumer.subscribe(List.of(topic));
      Await.until(
          WAIT,
          () -> {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
              String value = new String(record.value(), UTF_8);
              assertThat(values.add(value)).as("first delivery of %s", value).isTrue();
            }
            return values.size() >= 300;
          },
          () -> "300 records, got " + values.size());
      consumer.commitSync();
    }

    assertThat(values).isEqualTo(batch.values());
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
  }

  @Test
  void afterARestartTheSaslAddressLeadsToTheRestartedBroker() {
    String topic = EmbeddedKafka.uniqueTopic("sasl-restart");
    kafka.createTopic(topic, 2);
    String plain = kafka.bootstrapServers();

    kafka.stopBroker(0);
    kafka.startBroker(0);

    // The kit's own listener keeps its port; the SASL one binds port 0 again, and the address follows it.
    assertThat(kafka.bootstrapServers()).isEqualTo(plain);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(saslConsumerConfig(EmbeddedKafka.uniqueGroup("restart"), "alice", "alice-secret"))) {
      assertThat(consumer.partitionsFor(topic, WAIT)).hasSize(2);
    }
  }

  @Test
  void everyConfiguredUserAuthenticatesEvenWithQuotesAndBackslashesInThePassword() {
    String topic = EmbeddedKafka.uniqueTopic("second-user");
    kafka.createTopic(topic, 2);

    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            saslConsumerConfig(EmbeddedKafka.uniqueGroup("bob"), "svc.bob-2", "bob \"quoted\" \\ secret"))) {
      assertThat(consumer.partitionsFor(topic, WAIT)).hasSize(2);
    }
  }

  @Test
  void aWrongPasswordIsRejectedByTheBroker() {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(saslConsumerConfig(EmbeddedKafka.uniqueGroup("wrong"), "alice", "not-alice-secret"))) {
      assertThatThrownBy(() -> consumer.partitionsFor("any", WAIT))
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessage("Authentication failed: Invalid username or password");
    }
  }

  @Test
  void theKitsPlainListenerStaysTheInterBrokerListenerNextToTheSaslOne() throws Exception {
    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
    Config config = kafka.admin().describeConfigs(List.of(broker)).all().get().get(broker);

    assertThat(config.get("listeners").value())
        .isEqualTo("EXTERNAL://localhost:0,CONTROLLER://localhost:0,SASL_PLAINTEXT://localhost:0");
    assertThat(config.get("listener.security.protocol.map").value())
        .isEqualTo("EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
    assertThat(config.get("inter.broker.listener.name").value()).isEqualTo("EXTERNAL");
    assertThat(config.get("sasl.enabled.mechanisms").value()).isEqualTo("PLAIN");
    assertThat(kafka.saslPlaintextBootstrapServers())
        .matches("localhost:[0-9]+")
        .isNotEqualTo(kafka.bootstrapServers());
  }

  @Test
  void saslListenerSettingsExtendThoseGivenAsBrokerProperties() {
    Map<String, String> extended =
        ClusterLauncher.withSaslPlainListener(
            Map.of(
                "listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SSL://localhost:0",
                "listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL",
                "sasl.enabled.mechanisms", "SCRAM-SHA-512",
                "message.max.bytes", "2097152"),
            Map.of("alice", "a\"b"),
            "EXTERNAL",
            "PLAINTEXT",
            "CONTROLLER",
            "PLAINTEXT");

    assertThat(extended)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "listeners",
                "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SSL://localhost:0,SASL_PLAINTEXT://localhost:0",
                "listener.security.protocol.map",
                "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms",
                "SCRAM-SHA-512,PLAIN",
                "message.max.bytes",
                "2097152",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"a\\\"b\";"));
    assertThat(
            ClusterLauncher.withSaslPlainListener(
                Map.of("sasl.enabled.mechanisms", "plain"),
                Map.of("alice", "x"),
                "EXTERNAL",
                "PLAINTEXT",
                "CONTROLLER",
                "PLAINTEXT"))
        .containsEntry("sasl.enabled.mechanisms", "plain");
  }

  @Test
  void saslPlaintextBootstrapServersNeedsASaslUser() {
    try (EmbeddedKafka plain = EmbeddedKafka.start()) {
      assertThatThrownBy(plain::saslPlaintextBootstrapServers)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "this embedded Kafka cluster has no SASL_PLAINTEXT listener; "
                  + "add one with EmbeddedKafka.builder().saslPlainUser(user, password)");
    }
  }

  @Test
  void startRejectsSaslUsersOnSeveralBrokersAndAConflictingJaasLine() {
    assertThatThrownBy(() -> EmbeddedKafka.builder().brokers(3).saslPlainUser("alice", "secret").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("saslPlainUser(user, password) needs a single-broker cluster, but brokers was 3");
    assertThatThrownBy(
            () ->
                EmbeddedKafka.builder()
                    .brokerProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", "x")
                    .saslPlainUser("alice", "secret")
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "broker property 'listener.name.sasl_plaintext.plain.sasl.jaas.config' conflicts with "
                + "saslPlainUser(user, password), which sets it");
  }

  @Test
  void saslPlainUserRejectsInvalidValuesAtOnce() {
    assertThatThrownBy(() -> EmbeddedKafka.builder().saslPlainUser("has space", "secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SASL user must be 1 to 100 of a-z A-Z 0-9 . _ -, but was 'has space'");
    assertThatThrownBy(() -> EmbeddedKafka.builder().saslPlainUser("", "secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SASL user must be 1 to 100 of a-z A-Z 0-9 . _ -, but was ''");
    assertThatThrownBy(() -> EmbeddedKafka.builder().saslPlainUser("alice", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SASL password of user 'alice' must not be empty");
    assertThatThrownBy(() -> EmbeddedKafka.builder().saslPlainUser(null, "secret"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("user");
    assertThatThrownBy(() -> EmbeddedKafka.builder().saslPlainUser("alice", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("password");
  }
}
