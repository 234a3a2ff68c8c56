package io.asyncagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster with every secure listener: SCRAM and OAUTHBEARER users on SASL_PLAINTEXT, TLS requiring client
 * certificates, and SASL_SSL; plain Kafka clients configured by hand, with the PKCS #12 stores of {@link
 * TestCertificates}.
 */
class EmbeddedKafkaSecurityIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static TestCertificates certificates;
  private static TestOAuthServer oauth;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startAClusterWithEverySecureListener() {
    certificates = TestCertificates.shared();
    oauth = TestOAuthServer.builder().client("svc", "svc-secret").start();
    kafka = EmbeddedKafka.builder()
        .saslScramUser("bob", "bob-secret")
        .oauthBearer(oauth)
        .mutualTls(certificates)
        .start();
  }

  @AfterAll
  static void stopTheCluster() {
    if (kafka != null) {
      kafka.close();
    }
    if (oauth != null) {
      oauth.close();
    }
  }

  private static Map<String, Object> config(String bootstrap, String protocol) {
    Map<String, Object> config = kafka.consumerConfig(EmbeddedKafka.uniqueGroup("security"));
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
    return config;
  }

  private static Map<String, Object> scram(Map<String, Object> config, String mechanism, String password) {
    config.put(SaslConfigs.SASL_MECHANISM, mechanism);
    config.put(SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bob\" password=\"" + password
            + "\";");
    return config;
  }

  private static Map<String, Object> trusting(Map<String, Object> config) {
    config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
    config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificates.trustStore().toString());
    config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, certificates.storePassword());
    return config;
  }

  private static Map<String, Object> withClientCertificate(Map<String, Object> config) {
    config.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
    config.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, certificates.clientKeyStore().toString());
    config.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, certificates.storePassword());
    config.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, certificates.storePassword());
    return config;
  }

  /** Lists the partitions of a new topic through a consumer with {@code config}: the consumer authenticated. */
  private static void assertReaches(Map<String, Object> config) {
    String topic = EmbeddedKafka.uniqueTopic("reach");
    kafka.createTopic(topic, 2);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      assertThat(consumer.partitionsFor(topic, WAIT)).hasSize(2);
    }
  }

  @Test
  void scramUsersAuthenticateWithEitherShaOnTheSaslListener() {
    assertReaches(scram(config(kafka.saslPlaintextBootstrapServers(), "SASL_PLAINTEXT"), "SCRAM-SHA-256",
        "bob-secret"));
    assertReaches(scram(config(kafka.saslPlaintextBootstrapServers(), "SASL_PLAINTEXT"), "SCRAM-SHA-512",
        "bob-secret"));
  }

  @Test
  void aWrongScramPasswordIsRefused() {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        scram(config(kafka.saslPlaintextBootstrapServers(), "SASL_PLAINTEXT"), "SCRAM-SHA-512", "wrong"))) {
      assertThatThrownBy(() -> consumer.partitionsFor("any", WAIT))
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessage("Authentication failed during authentication due to invalid credentials with SASL mechanism"
              + " SCRAM-SHA-512");
    }
  }

  @Test
  void aClientWithTheCaAndAClientCertificateReachesTheMutualTlsListener() {
    assertReaches(withClientCertificate(trusting(config(kafka.sslBootstrapServers(), "SSL"))));
  }

  @Test
  void theMutualTlsListenerRefusesAClientWithoutCertificate() {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(trusting(config(kafka.sslBootstrapServers(), "SSL")))) {
      assertThatThrownBy(() -> consumer.partitionsFor("any", WAIT))
          .isInstanceOf(SslAuthenticationException.class)
          .hasMessage("Failed to process post-handshake messages");
    }
  }

  @Test
  void scramWorksOverTlsWithoutAClientCertificate() {
    assertReaches(scram(trusting(config(kafka.saslSslBootstrapServers(), "SASL_SSL")), "SCRAM-SHA-512",
        "bob-secret"));
  }

  @Test
  void anOauthClientAuthenticatesWithATokenOfTheTestServer() {
    TestOAuthServer.allowUrl(oauth.tokenEndpoint().toString());
    Map<String, Object> config = config(kafka.saslPlaintextBootstrapServers(), "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
    config.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS,
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
    config.put(SaslConfigs.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, oauth.tokenEndpoint().toString());
    config.put(SaslConfigs.SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_ID, "svc");
    config.put(SaslConfigs.SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET, "svc-secret");
    config.put(SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    int before = oauth.tokensIssued();

    assertReaches(config);

    assertThat(oauth.tokensIssued() - before).isEqualTo(1);
  }

  @Test
  void theListenersAreAddedNextToTheKitsPlainOne() throws Exception {
    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
    Config config = kafka.admin().describeConfigs(List.of(broker)).all().get().get(broker);

    assertThat(config.get("listeners").value()).isEqualTo("EXTERNAL://localhost:0,CONTROLLER://localhost:0,"
        + "SASL_PLAINTEXT://localhost:0,SSL://localhost:0,SASL_SSL://localhost:0");
    assertThat(config.get("listener.security.protocol.map").value()).isEqualTo("EXTERNAL:PLAINTEXT,"
        + "CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL");
    assertThat(config.get("inter.broker.listener.name").value()).isEqualTo("EXTERNAL");
    assertThat(config.get("sasl.enabled.mechanisms").value()).isEqualTo("SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER");
    assertThat(List.of(kafka.saslPlaintextBootstrapServers(), kafka.sslBootstrapServers(),
        kafka.saslSslBootstrapServers(), kafka.bootstrapServers())).doesNotHaveDuplicates()
        .allMatch(address -> address.matches("localhost:[0-9]+"));
  }

  @Test
  void afterARestartTheAddressesFollowTheBrokerAndScramUsersStillLogIn() {
    kafka.stopBroker(0);
    kafka.startBroker(0);

    assertReaches(scram(config(kafka.saslPlaintextBootstrapServers(), "SASL_PLAINTEXT"), "SCRAM-SHA-512",
        "bob-secret"));
    assertReaches(withClientCertificate(trusting(config(kafka.sslBootstrapServers(), "SSL"))));
  }

  @Test
  void aClusterWithoutTheListenersSaysHowToAddThem() {
    try (EmbeddedKafka plain = EmbeddedKafka.start()) {
      assertThatThrownBy(plain::sslBootstrapServers)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("this embedded Kafka cluster has no SSL listener; add one with"
              + " EmbeddedKafka.builder().ssl(certificates) or .mutualTls(certificates)");
      assertThatThrownBy(plain::saslSslBootstrapServers)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("this embedded Kafka cluster has no SASL_SSL listener; it comes with a SASL user and"
              + " EmbeddedKafka.builder().ssl(certificates) or .mutualTls(certificates)");
    }
  }

  @Test
  void secureListenersNeedASingleBrokerAndTheirOwnSettings() {
    assertThatThrownBy(() -> EmbeddedKafka.builder().brokers(2).saslScramUser("bob", "pw").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("saslScramUser(user, password) needs a single-broker cluster, but brokers was 2");
    assertThatThrownBy(() -> EmbeddedKafka.builder().brokers(2).ssl(certificates).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ssl(certificates) needs a single-broker cluster, but brokers was 2");
    assertThatThrownBy(() -> EmbeddedKafka.builder()
        .brokerProperty("listener.name.ssl.ssl.keystore.location", "/elsewhere.p12").mutualTls(certificates).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("broker property 'listener.name.ssl.ssl.keystore.location' conflicts with"
            + " mutualTls(certificates), which sets it");
    assertThatThrownBy(() -> EmbeddedKafka.builder().saslScramUser("has space", "pw"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SASL user must be 1 to 100 of a-z A-Z 0-9 . _ -, but was 'has space'");
  }
}
