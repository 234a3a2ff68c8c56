package io.asyncagent.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.kafka.ClientTls;
import io.asyncagent.kafka.ClientTls.TlsVersion;
import io.asyncagent.testkit.TestCertificates;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory's engines, in real TLS handshakes with a server engine in memory. */
class ClientTlsEngineFactoryTest {
  private static final String ISSUED_BY_TEST_CA = "the broker's certificate 'CN=localhost' (issued by"
      + " 'CN=async-agent test CA')";

  private static TestCertificates certificates;

  @TempDir
  Path dir;

  @BeforeAll
  static void makeCertificates() {
    certificates = TestCertificates.shared();
  }

  private static ClientTlsEngineFactory factory(ClientTls tls) {
    ClientTlsEngineFactory factory = new ClientTlsEngineFactory();
    factory.configure(Map.of(ClientTlsEngineFactory.CLIENT_TLS_CONFIG, tls, "ssl.endpoint.identification.algorithm",
        "https"));
    return factory;
  }

  private static ClientTls.Builder trustingTheTestCa() {
    return ClientTls.builder().caCerts(List.of(certificates.caCertificate())).disableSystemCaPool(true);
  }

  private static KeyStore load(Path file, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }

  /** A broker's engine for {@code set}'s server certificate, requiring a client certificate of its CA if asked. */
  private static SSLEngine server(TestCertificates set, boolean requireClientCertificate) throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
    keys.init(load(set.serverKeyStore(), set.storePassword()), set.storePassword().toCharArray());
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    trust.init(load(set.trustStore(), set.storePassword()));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(requireClientCertificate);
    return engine;
  }

  /** Drives both engines until neither has handshaking left to do; a refusal surfaces as the engine's exception. */
  private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
    ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
    ByteBuffer clientApp = ByteBuffer.allocate(1 << 17);
    ByteBuffer serverApp = ByteBuffer.allocate(1 << 17);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 200; round++) {
      boolean clientDone = step(client, toServer, toClient, clientApp);
      boolean serverDone = step(server, toClient, toServer, serverApp);
      if (clientDone && serverDone && toServer.position() == 0 && toClient.position() == 0) {
        return;
      }
    }
    throw new AssertionError("the handshake did not finish");
  }

  private static boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
    HandshakeStatus status = engine.getHandshakeStatus();
    switch (status) {
      case NEED_TASK:
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
        return false;
      case NEED_WRAP:
        engine.wrap(ByteBuffer.allocate(0), out);
        return false;
      case NEED_UNWRAP:
      case NEED_UNWRAP_AGAIN:
        in.flip();
        engine.unwrap(in, app);
        in.compact();
        return false;
      default:
        if (in.position() > 0) { // post-handshake messages, such as TLS 1.3 session tickets
          in.flip();
          engine.unwrap(in, app);
          in.compact();
        }
        return true;
    }
  }

  @Test
  void mutualTlsWithPemFilesCompletesAndPresentsTheClientCertificate() throws Exception {
    ClientTlsEngineFactory factory = factory(trustingTheTestCa()
        .clientCert(certificates.clientCertificate(), certificates.clientPrivateKey()).build());
    SSLEngine client = factory.createClientSslEngine("localhost", 9093, "https");
    SSLEngine server = server(certificates, true);

    handshake(client, server);

    assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(((X509Certificate) server.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName())
        .isEqualTo("CN=async-agent test client");
  }

  @Test
  void engineParametersFollowTheSettings() {
    SSLEngine engine = factory(trustingTheTestCa().minVersion(TlsVersion.TLS12).cipherSuites(List.of(49195)).build())
        .createClientSslEngine("localhost", 9093, "https");

    assertThat(engine.getUseClientMode()).isTrue();
    assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.2", "TLSv1.3");
    assertThat(engine.getEnabledCipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(factory(ClientTls.builder().allowInsecureConnections(true).build())
        .createClientSslEngine("localhost", 9093, "https").getSSLParameters().getEndpointIdentificationAlgorithm())
        .isNull();
  }

  @Test
  void aCertificateNoTrustedCaSignedIsRefusedNamingTheCertificateAndTheTrustedCas() throws Exception {
    SSLEngine client = factory(ClientTls.builder().caCerts(List.of(certificates.otherCaCertificate())).build())
        .createClientSslEngine("localhost", 9093, "https");

    assertThatThrownBy(() -> handshake(client, server(certificates, false)))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageStartingWith(ISSUED_BY_TEST_CA + " is not signed by a CA the agent trusts (it trusts the JDK's and"
            + " those of clientTls.caCerts): PKIX path building failed: ");
  }

  @Test
  void aCertificateForAnotherHostIsRefusedNamingTheAddress() throws Exception {
    SSLEngine client = factory(trustingTheTestCa().build()).createClientSslEngine("kafka.internal", 9093, "https");

    assertThatThrownBy(() -> handshake(client, server(certificates, false)))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessage(ISSUED_BY_TEST_CA + " is not valid for the broker address 'kafka.internal' (the host name is"
            + " checked as HTTPS does): No subject alternative DNS name matching kafka.internal found.");
  }

  @Test
  void allowingInsecureConnectionsSkipsTrustAndHostName() throws Exception {
    SSLEngine client = factory(ClientTls.builder().caCerts(List.of(certificates.otherCaCertificate()))
        .disableSystemCaPool(true).allowInsecureConnections(true).build())
        .createClientSslEngine("kafka.internal", 9093, "https");

    handshake(client, server(certificates, false));

    assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
  }

  @Test
  void anExpiredCertificateIsRefusedSayingWhenItExpired() throws Exception {
    Instant notBefore = Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
    TestCertificates expired = TestCertificates.builder().directory(dir)
        .serverValidity(notBefore, Duration.ofDays(1)).create();
    SSLEngine client = factory(ClientTls.builder().caCerts(List.of(expired.caCertificate())).build())
        .createClientSslEngine("localhost", 9093, "https");

    assertThatThrownBy(() -> handshake(client, server(expired, false)))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageStartingWith(ISSUED_BY_TEST_CA + " expired at " + notBefore.plus(Duration.ofDays(1)) + ": ");
  }

  @Test
  void theStoresHoldTheConfiguredCasAndClientCertificates() throws Exception {
    ClientTlsEngineFactory only = factory(trustingTheTestCa()
        .clientCert(certificates.clientCertificate(), certificates.clientPrivateKey()).build());
    ClientTlsEngineFactory withSystem = factory(ClientTls.builder().caCerts(List.of(certificates.caCertificate()))
        .build());

    assertThat(Collections.list(only.truststore().aliases())).containsExactly("ca-certs-0-0");
    assertThat(Collections.list(only.keystore().aliases())).containsExactly("client-certs-0");
    assertThat(withSystem.truststore().size()).isGreaterThan(1);
    assertThat(withSystem.keystore()).isNull();
  }

  @Test
  void configureNeedsTheClientTlsAndFilesThatStillServe() throws Exception {
    Path ca = Files.copy(certificates.caCertificate(), dir.resolve("ca.pem"));
    ClientTls tls = ClientTls.builder().caCerts(List.of(ca)).build();
    Files.delete(ca);

    assertThatThrownBy(() -> new ClientTlsEngineFactory().configure(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid value null for configuration asyncagent.client.tls: must hold the agent's ClientTls");
    assertThatThrownBy(() -> factory(tls))
        .isInstanceOf(ConfigException.class)
        .hasMessage("clientTls: " + ca + " does not exist");
  }

  @Test
  void makesClientEnginesOnlyAndIsRebuiltOnlyForOtherSettings() {
    ClientTls tls = trustingTheTestCa().build();
    ClientTlsEngineFactory factory = factory(tls);

    assertThatThrownBy(() -> factory.createServerSslEngine("localhost", 9093))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("the agent's TLS settings make client engines only");
    assertThat(factory.shouldBeRebuilt(Map.of(ClientTlsEngineFactory.CLIENT_TLS_CONFIG, tls))).isFalse();
    assertThat(factory.shouldBeRebuilt(Map.of(ClientTlsEngineFactory.CLIENT_TLS_CONFIG, ClientTls.builder().build())))
        .isTrue();
    assertThat(factory.reconfigurableConfigs()).isEmpty();
  }
}
