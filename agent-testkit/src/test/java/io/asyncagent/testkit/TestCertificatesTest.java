package io.asyncagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {
  @TempDir
  Path dir;

  private static List<X509Certificate> certificates(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
      List<X509Certificate> result = new ArrayList<>();
      all.forEach(c -> result.add((X509Certificate) c));
      return result;
    }
  }

  private static KeyStore load(Path file, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }

  @Test
  void makesACaSignedServerAndClientCertificateAndAnUnrelatedCa() throws Exception {
    TestCertificates set = TestCertificates.shared();
    X509Certificate ca = certificates(set.caCertificate()).get(0);
    List<X509Certificate> server = certificates(set.serverCertificate());
    List<X509Certificate> client = certificates(set.clientCertificate());
    X509Certificate other = certificates(set.otherCaCertificate()).get(0);

    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=async-agent test CA");
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(server).extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=localhost", "CN=async-agent test CA");
    server.get(0).verify(ca.getPublicKey());
    client.get(0).verify(ca.getPublicKey());
    assertThat(client.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=async-agent test client");
    assertThat(server.get(0).getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    assertThat(server.get(0).getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(client.get(0).getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(other.getSubjectX500Principal().getName()).isEqualTo("CN=async-agent other CA");
    assertThat(other.getPublicKey()).isNotEqualTo(ca.getPublicKey());
  }

  @Test
  void writesKeysAsPkcs8PemAndStoresForBrokersAndJavaClients() throws Exception {
    TestCertificates set = TestCertificates.shared();

    assertThat(Files.readString(set.clientPrivateKey())).startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    KeyStore server = load(set.serverKeyStore(), set.storePassword());
    assertThat(server.getCertificateChain("server")).hasSize(2);
    PrivateKey key = (PrivateKey) server.getKey("server", set.storePassword().toCharArray());
    assertThat(key.getAlgorithm()).isEqualTo("EC");
    assertThat(Files.readString(set.serverPrivateKey()))
        .isEqualTo(TestCertificates.pemBlock("PRIVATE KEY", key.getEncoded()));
    assertThat(load(set.clientKeyStore(), set.storePassword()).isKeyEntry("client")).isTrue();
    assertThat(load(set.trustStore(), set.storePassword()).getCertificate("ca"))
        .isEqualTo(certificates(set.caCertificate()).get(0));
  }

  @Test
  void validityWindowsAndHostNamesCanBeChosenForExpiredOrForeignCertificates() throws Exception {
    Instant notBefore = Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
    TestCertificates set = TestCertificates.builder()
        .directory(dir)
        .serverValidity(notBefore, Duration.ofDays(2))
        .clientValidity(notBefore, Duration.ofDays(30))
        .serverHostNames("kafka.internal", "10.0.0.7")
        .create();

    X509Certificate server = certificates(set.serverCertificate()).get(0);
    assertThat(set.directory()).isEqualTo(dir.toAbsolutePath());
    assertThat(server.getNotBefore().toInstant()).isEqualTo(notBefore);
    assertThat(server.getNotAfter().toInstant()).isEqualTo(notBefore.plus(Duration.ofDays(2)));
    assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=kafka.internal");
    assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(2, "kafka.internal"), List.of(7, "10.0.0.7"));
    assertThat(certificates(set.clientCertificate()).get(0).getNotAfter().toInstant())
        .isEqualTo(notBefore.plus(Duration.ofDays(30)));
  }

  @Test
  void theBuilderRejectsBadValuesAtOnce() {
    TestCertificates.Builder builder = TestCertificates.builder();

    assertThatThrownBy(() -> builder.serverValidity(Instant.now(), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("validity must be whole days >= 1, but was PT1H");
    assertThatThrownBy(() -> builder.clientValidity(Instant.now(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("validity must be whole days >= 1, but was PT0S");
    assertThatThrownBy(builder::serverHostNames)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serverHostNames must name at least one host, but was empty");
    assertThatThrownBy(() -> builder.serverHostNames("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serverHostNames must be host names or IP addresses, but held 'a b'");
    assertThatThrownBy(() -> builder.directory(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("directory");
  }

  @Test
  void pemBlocksHaveLinesOf64Characters() {
    String block = TestCertificates.pemBlock("TEST", new byte[100]);

    assertThat(block.split("\n"))
        .containsExactly("-----BEGIN TEST-----", "A".repeat(64), "A".repeat(64), "AAAAAA==", "-----END TEST-----");
  }
}
