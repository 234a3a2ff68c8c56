package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import io.asyncagent.kafka.ClientTls.ClientCert;
import io.asyncagent.kafka.ClientTls.TlsVersion;
import io.asyncagent.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTlsTest {
  private static final String SUPPORTED_SUITES = "47, 53, 60, 156, 157, 4865, 4866, 4867, 49161, 49162, 49171, 49172,"
      + " 49187, 49191, 49195, 49196, 49199, 49200, 52392, 52393";
  private static final String SUPPORTED_GROUPS = "23 (secp256r1), 24 (secp384r1), 25 (secp521r1), 29 (x25519),"
      + " 30 (x448), 256 (ffdhe2048), 257 (ffdhe3072), 258 (ffdhe4096), 259 (ffdhe6144), 260 (ffdhe8192)";

  private static TestCertificates certificates;

  @TempDir
  Path dir;

  @BeforeAll
  static void makeCertificates() {
    certificates = TestCertificates.shared();
  }

  @Test
  void theDefaultsAreKrakendsTls13OnlyWithTheJdksCas() {
    ClientTls tls = ClientTls.builder().build();

    assertThat(tls.minVersion()).isEqualTo(TlsVersion.TLS13);
    assertThat(tls.maxVersion()).isEqualTo(TlsVersion.TLS13);
    assertThat(tls.allowInsecureConnections()).isFalse();
    assertThat(tls.disableSystemCaPool()).isFalse();
    assertThat(tls.caCerts()).isEmpty();
    assertThat(tls.clientCerts()).isEmpty();
    assertThat(tls.cipherSuites()).isEmpty();
    assertThat(tls.curvePreferences()).isEmpty();
    assertThat(tls).hasToString("ClientTls{minVersion=TLS13, maxVersion=TLS13}");
  }

  @Test
  void versionsAreFoundByKrakendsNamesIgnoringCase() {
    assertThat(TlsVersion.fromKrakendName("TLS12")).isEqualTo(TlsVersion.TLS12);
    assertThat(TlsVersion.fromKrakendName("tls13")).isEqualTo(TlsVersion.TLS13);
    assertThat(TlsVersion.fromKrakendName("SSL3.0")).isEqualTo(TlsVersion.SSL30);
    assertThat(TlsVersion.TLS12.javaName()).isEqualTo("TLSv1.2");
    assertThatThrownBy(() -> TlsVersion.fromKrakendName("TLS1.2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tlsVersion must be one of SSL3.0, TLS10, TLS11, TLS12, TLS13, but was 'TLS1.2'");
  }

  @Test
  void settersRejectSsl3AndNullsAtOnce() {
    ClientTls.Builder builder = ClientTls.builder();

    assertThatThrownBy(() -> builder.minVersion(TlsVersion.SSL30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientTls.minVersion must not be SSL3.0 (the JDK no longer speaks it), but was SSL3.0");
    assertThatThrownBy(() -> builder.maxVersion(TlsVersion.SSL30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientTls.maxVersion must not be SSL3.0 (the JDK no longer speaks it), but was SSL3.0");
    assertThatThrownBy(() -> builder.minVersion(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("minVersion");
    assertThatThrownBy(() -> builder.caCerts(Arrays.asList(Path.of("a.pem"), null)))
        .isInstanceOf(NullPointerException.class).hasMessage("caCerts[]");
    assertThatThrownBy(() -> builder.clientCert(Path.of("a.pem"), null))
        .isInstanceOf(NullPointerException.class).hasMessage("privateKey");
    assertThatThrownBy(() -> builder.cipherSuites(Arrays.asList(4865, null)))
        .isInstanceOf(NullPointerException.class).hasMessage("cipherSuites[]");
  }

  @Test
  void buildListsEveryCrossFieldProblemWithItsPath() {
    InvalidConfigException thrown = catchThrowableOfType(InvalidConfigException.class, () -> ClientTls.builder()
        .minVersion(TlsVersion.TLS13)
        .maxVersion(TlsVersion.TLS12)
        .disableSystemCaPool(true)
        .cipherSuites(List.of(4865, 5, 49199))
        .curvePreferences(List.of(23, 4588))
        .build());

    assertThat(thrown.violations()).containsExactly(
        new Violation("clientTls.minVersion", "must not be above maxVersion (TLS12), but was TLS13"),
        new Violation("clientTls.disableSystemCaPool", "must be false when caCerts is empty and"
            + " allowInsecureConnections is false (no broker certificate could be trusted), but was true"),
        new Violation("clientTls.cipherSuites[1]",
            "must be one of the supported cipher suites " + SUPPORTED_SUITES + ", but was 5"),
        new Violation("clientTls.curvePreferences[1]", "must be one of " + SUPPORTED_GROUPS + ", but was 4588"));
  }

  @Test
  void onlyTls13SuitesAreRefusedWhenTls13IsNotOffered() {
    assertThatThrownBy(() -> ClientTls.builder().minVersion(TlsVersion.TLS12).maxVersion(TlsVersion.TLS12)
        .cipherSuites(List.of(4865, 4866, 4867)).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid clientTls: clientTls.cipherSuites: must hold a suite for TLS 1.2 or below when"
            + " maxVersion is TLS12, but holds only TLS 1.3 suites [4865, 4866, 4867]");
  }

  @Test
  void disablingTheSystemCasIsFineWithCaCertsOrWhenNothingIsChecked() {
    assertThat(ClientTls.builder().disableSystemCaPool(true).caCerts(List.of(certificates.caCertificate())).build()
        .disableSystemCaPool()).isTrue();
    assertThat(ClientTls.builder().disableSystemCaPool(true).allowInsecureConnections(true).build()
        .allowInsecureConnections()).isTrue();
  }

  @Test
  void buildReadsEveryFileAndNamesTheFieldAndTheFileOfEachProblem() throws IOException {
    Path missing = dir.resolve("missing.pem");
    Path encrypted = Files.writeString(dir.resolve("encrypted-key.pem"),
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n"
            + "-----END ENCRYPTED PRIVATE KEY-----\n");

    InvalidConfigException thrown = catchThrowableOfType(InvalidConfigException.class, () -> ClientTls.builder()
        .caCerts(List.of(certificates.caCertificate(), missing, certificates.clientPrivateKey()))
        .clientCerts(List.of(
            new ClientCert(certificates.clientCertificate(), certificates.serverPrivateKey()),
            new ClientCert(certificates.clientCertificate(), encrypted)))
        .build());

    assertThat(thrown.violations()).containsExactly(
        new Violation("clientTls.caCerts[1]", "must be a PEM file of certificates, but " + missing + " does not exist"),
        new Violation("clientTls.caCerts[2]", "must be a PEM file of certificates, but "
            + certificates.clientPrivateKey() + " holds no PEM CERTIFICATE block"),
        new Violation("clientTls.clientCerts[0].privateKey", "must hold the key of the certificate in "
            + certificates.clientCertificate() + ", but " + certificates.serverPrivateKey() + " holds another EC key"),
        new Violation("clientTls.clientCerts[1].privateKey", "must be a PEM file of an unencrypted private key, but "
            + encrypted + " holds an encrypted private key (ENCRYPTED PRIVATE KEY); the driver reads only unencrypted"
            + " keys, as KrakenD does: decrypt it, such as with openssl pkey"));
  }

  @Test
  void aCompleteConfigurationBuildsAndRoundTripsThroughToBuilder() {
    ClientTls tls = ClientTls.builder()
        .caCerts(List.of(certificates.caCertificate()))
        .disableSystemCaPool(true)
        .clientCert(certificates.clientCertificate(), certificates.clientPrivateKey())
        .minVersion(TlsVersion.TLS12)
        .cipherSuites(List.of(49199, 4865))
        .curvePreferences(List.of(29, 23))
        .build();

    assertThat(tls.toBuilder().build()).isEqualTo(tls).hasSameHashCodeAs(tls);
    assertThat(tls.toBuilder().maxVersion(TlsVersion.TLS12).build()).isNotEqualTo(tls);
    assertThat(tls).hasToString("ClientTls{minVersion=TLS12, maxVersion=TLS13, caCerts=[" + certificates.caCertificate()
        + "], disableSystemCaPool, clientCerts=1, cipherSuites=[49199, 4865], curvePreferences=[29, 23]}");
  }
}
