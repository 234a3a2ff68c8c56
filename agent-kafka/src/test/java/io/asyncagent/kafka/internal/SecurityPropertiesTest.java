package io.asyncagent.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.kafka.ClientTls;
import io.asyncagent.kafka.ClientTls.TlsVersion;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Sasl;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecurityPropertiesTest {
  private String allowedUrlsBefore;

  @BeforeEach
  void rememberTheAllowList() {
    allowedUrlsBefore = System.getProperty(SecurityProperties.ALLOWED_URLS_PROPERTY);
  }

  @AfterEach
  void restoreTheAllowList() {
    if (allowedUrlsBefore == null) {
      System.clearProperty(SecurityProperties.ALLOWED_URLS_PROPERTY);
    } else {
      System.setProperty(SecurityProperties.ALLOWED_URLS_PROPERTY, allowedUrlsBefore);
    }
  }

  private static Map<String, Object> propertiesOf(Cluster.Builder cluster) {
    Map<String, Object> props = new HashMap<>();
    SecurityProperties.put(props, cluster.build());
    return props;
  }

  private static Cluster.Builder cluster() {
    return Cluster.builder().brokers("k:9092");
  }

  @Test
  void noSecurityIsPlaintext() {
    assertThat(propertiesOf(cluster())).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
  }

  @Test
  void plainUsesKafkasPlainLoginWithTheJaasValuesEscaped() {
    assertThat(propertiesOf(cluster().sasl(Sasl.plain("svc \"a\"", "p\\4ss\"w\nord"))))
        .containsExactlyInAnyOrderEntriesOf(Map.of(
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "PLAIN",
            "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"svc \\\"a\\\"\" password=\"p\\\\4ss\\\"w\\nord\";"));
  }

  @Test
  void scramUsesKafkasScramLoginWithTheMechanismsName() {
    assertThat(propertiesOf(cluster().sasl(Sasl.scramSha256("bob", "s3cret"))))
        .containsExactlyInAnyOrderEntriesOf(Map.of(
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-256",
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bob\" password=\"s3cret\";"));
    assertThat(propertiesOf(cluster().sasl(Sasl.scramSha512("bob", "s3cret"))))
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bob\" password=\"s3cret\";");
  }

  @Test
  void oauthBearerUsesKafkasClientCredentialsLoginAndAllowsTheTokenEndpoint() {
    System.setProperty(SecurityProperties.ALLOWED_URLS_PROPERTY, "https://other.example/jwks");
    Sasl sasl = Sasl.builder().mechanism(Sasl.Mechanism.OAUTHBEARER)
        .tokenEndpoint(URI.create("https://idp.example/token")).user("client-1").password("s3cret").scope("kafka")
        .build();

    assertThat(propertiesOf(cluster().sasl(sasl))).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "OAUTHBEARER",
        "sasl.login.callback.handler.class",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
        "sasl.oauthbearer.token.endpoint.url", "https://idp.example/token",
        "sasl.oauthbearer.client.credentials.client.id", "client-1",
        "sasl.oauthbearer.client.credentials.client.secret", new Password("s3cret"),
        "sasl.oauthbearer.scope", "kafka",
        "sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;"));
    assertThat(System.getProperty(SecurityProperties.ALLOWED_URLS_PROPERTY))
        .isEqualTo("https://other.example/jwks,https://idp.example/token");
  }

  @Test
  void anAllowedUrlIsAddedOnceAndOthersAreKept() {
    System.clearProperty(SecurityProperties.ALLOWED_URLS_PROPERTY);

    SecurityProperties.allowUrl("http://127.0.0.1:1/token");
    SecurityProperties.allowUrl("http://127.0.0.1:2/token");
    SecurityProperties.allowUrl("http://127.0.0.1:1/token");

    assertThat(System.getProperty(SecurityProperties.ALLOWED_URLS_PROPERTY))
        .isEqualTo("http://127.0.0.1:1/token,http://127.0.0.1:2/token");
  }

  @Test
  void tlsPlugsInTheEngineFactoryAndStatesWhatItDoes() {
    ClientTls tls = ClientTls.builder().build();

    assertThat(propertiesOf(cluster().clientTls(tls))).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SSL",
        "ssl.engine.factory.class", ClientTlsEngineFactory.class,
        "asyncagent.client.tls", tls,
        "ssl.endpoint.identification.algorithm", "https",
        "ssl.enabled.protocols", "TLSv1.3",
        "ssl.protocol", "TLSv1.3"));
  }

  @Test
  void tls12SuitesKeepTheTls13OnesAndInsecureConnectionsCheckNoHostName() {
    ClientTls tls = ClientTls.builder().allowInsecureConnections(true).minVersion(TlsVersion.TLS12)
        .cipherSuites(List.of(49199, 52392)).build();

    assertThat(propertiesOf(cluster().clientTls(tls)))
        .containsEntry("ssl.endpoint.identification.algorithm", "")
        .containsEntry("ssl.enabled.protocols", "TLSv1.2,TLSv1.3")
        .containsEntry("ssl.cipher.suites", "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,"
            + "TLS_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
            + "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  }

  @Test
  void listedTls13SuitesAreTakenAsTheyAre() {
    ClientTls tls = ClientTls.builder().minVersion(TlsVersion.TLS12).maxVersion(TlsVersion.TLS12)
        .cipherSuites(List.of(49200)).build();

    assertThat(propertiesOf(cluster().clientTls(tls)))
        .containsEntry("ssl.enabled.protocols", "TLSv1.2")
        .containsEntry("ssl.protocol", "TLSv1.2")
        .containsEntry("ssl.cipher.suites", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    assertThat(ClientTlsEngineFactory.cipherSuites(ClientTls.builder().cipherSuites(List.of(4866, 49199)).build()))
        .containsExactly("TLS_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  }

  @Test
  void saslWithTlsIsSaslSsl() {
    assertThat(propertiesOf(cluster().sasl(Sasl.scramSha512("bob", "pw")).clientTls(ClientTls.builder().build())))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.engine.factory.class", ClientTlsEngineFactory.class);
  }
}
