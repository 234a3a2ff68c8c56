package io.asyncagent.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.Violation;
import io.asyncagent.kafka.ClientTls;
import io.asyncagent.kafka.ClientTls.TlsVersion;
import io.asyncagent.kafka.Sasl;
import io.asyncagent.spi.ConfigNode;
import io.asyncagent.testkit.TestCertificates;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecurityConfigReaderTest {
  private static final String CLUSTER = "async_agent[0].extra_config.\"async/kafka\".cluster";
  private static final String SASL = CLUSTER + ".sasl";
  private static final String TLS = CLUSTER + ".client_tls";

  private static TestCertificates certificates;

  private final List<Violation> violations = new ArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    certificates = TestCertificates.shared();
  }

  private Optional<Sasl> sasl(Map<String, ?> block) {
    return SecurityConfigReader.sasl(ConfigNode.of(SASL, block, violations));
  }

  private Optional<ClientTls> clientTls(Map<String, ?> block) {
    return SecurityConfigReader.clientTls(ConfigNode.of(TLS, block, violations));
  }

  private static Violation at(String path, String message) {
    return new Violation(path, message);
  }

  @Test
  void readsKrakendsSaslFieldsWithTheDocumentationsSpelling() {
    Optional<Sasl> sasl = sasl(Map.of(
        "mechanism", "scram-sha-512",
        "user", "alice",
        "password", "s3cret",
        "auth_identity", "alice",
        "scram_auth_id", "alice",
        "azure_event_hub", true,
        "disable_hanshake", true));

    assertThat(violations).isEmpty();
    assertThat(sasl).contains(Sasl.builder().mechanism(Sasl.Mechanism.SCRAM_SHA_512).user("alice").password("s3cret")
        .authIdentity("alice").scramAuthId("alice").azureEventHub(true).build());
  }

  @Test
  void theMechanismDefaultsToPlainAndEmptyIdentitiesCountAsAbsent() {
    Optional<Sasl> sasl = sasl(Map.of("user", "alice", "password", "s3cret", "auth_identity", "",
        "scram_auth_id", "", "disable_handshake", true));

    assertThat(violations).isEmpty();
    assertThat(sasl).contains(Sasl.plain("alice", "s3cret"));
  }

  @Test
  void readsOauthBearerWithOurTokenUrlAndScope() {
    Optional<Sasl> sasl = sasl(Map.of("mechanism", "OAUTHBEARER", "user", "client-1", "password", "s3cret",
        "token_url", "https://idp.example/token", "scope", "kafka"));

    assertThat(violations).isEmpty();
    assertThat(sasl).contains(Sasl.builder().mechanism(Sasl.Mechanism.OAUTHBEARER).user("client-1")
        .password("s3cret").tokenEndpoint(URI.create("https://idp.example/token")).scope("kafka").build());
  }

  @Test
  void reportsEverySaslValueProblemAtItsPath() {
    Optional<Sasl> sasl = sasl(Map.of(
        "mechanism", "GSSAPI",
        "user", " ",
        "password", 12345,
        "disable_handshake", false,
        "disable_hanshake", true,
        "token_url", "not a url",
        "realm", "EXAMPLE"));

    assertThat(sasl).isEmpty();
    assertThat(violations).containsExactly(
        at(SASL + ".realm", "unknown field; the fields here are auth_identity, azure_event_hub, disable_handshake,"
            + " disable_hanshake, mechanism, password, scope, scram_auth_id, token_url, user"),
        at(SASL + ".mechanism", "must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, but was \"GSSAPI\""),
        at(SASL + ".user", "must not be blank, but was \" \""),
        at(SASL + ".password", "must be a string, but was another type"),
        at(SASL + ".disable_hanshake", "is another spelling of disable_handshake; give only one of them"),
        at(SASL + ".disable_handshake",
            "must be true (the Java client always sends the SASL handshake), but was false"),
        at(SASL + ".token_url", "must be an absolute http or https URL, but was \"not a url\""));
    assertThat(violations.toString()).doesNotContain("12345");
  }

  @Test
  void reportsTheBuildersCrossFieldProblemsUnderTheJsonNames() {
    Optional<Sasl> sasl = sasl(Map.of("user", "alice", "auth_identity", "admin", "scope", "kafka",
        "token_url", "https://idp.example/token"));

    assertThat(sasl).isEmpty();
    assertThat(violations).containsExactly(
        at(SASL + ".password", "is required"),
        at(SASL + ".token_url", "is only for mechanism OAUTHBEARER, but mechanism is PLAIN"),
        at(SASL + ".scope", "is only for mechanism OAUTHBEARER, but mechanism is PLAIN"),
        at(SASL + ".auth_identity", "must equal user 'alice' (the Java client sends no separate authorization"
            + " identity, and brokers refuse a different one), but was \"admin\""));
  }

  @Test
  void readsEveryClientTlsFieldResolvingRelativePathsAgainstTheWorkingDirectory() {
    String relativeCa = Path.of("").toAbsolutePath().relativize(certificates.caCertificate()).toString();

    Optional<ClientTls> tls = clientTls(Map.of(
        "allow_insecure_connections", false,
        "ca_certs", List.of(relativeCa),
        "disable_system_ca_pool", true,
        "client_certs", List.of(Map.of("certificate", certificates.clientCertificate().toString(),
            "private_key", certificates.clientPrivateKey().toString())),
        "min_version", "TLS12",
        "max_version", "TLS13",
        "cipher_suites", List.of(4865, 4866, 4867),
        "curve_preferences", List.of(23, 24, 25)));

    assertThat(violations).isEmpty();
    assertThat(tls).contains(ClientTls.builder()
        .caCerts(List.of(certificates.caCertificate()))
        .disableSystemCaPool(true)
        .clientCert(certificates.clientCertificate(), certificates.clientPrivateKey())
        .minVersion(TlsVersion.TLS12)
        .maxVersion(TlsVersion.TLS13)
        .cipherSuites(List.of(4865, 4866, 4867))
        .curvePreferences(List.of(23, 24, 25))
        .build());
  }

  @Test
  void reportsEveryClientTlsValueProblemAtItsPath() {
    Optional<ClientTls> tls = clientTls(Map.of(
        "min_version", "TLS1.2",
        "max_version", "SSL3.0",
        "cipher_suites", List.of("TLS_AES_128_GCM_SHA256"),
        "ca_certs", List.of(""),
        "client_certs", List.of(Map.of("certificate", "client.pem", "key", "client-key.pem")),
        "insecure", true));

    assertThat(tls).isEmpty();
    assertThat(violations).containsExactly(
        at(TLS + ".insecure", "unknown field; the fields here are allow_insecure_connections, ca_certs,"
            + " cipher_suites, client_certs, curve_preferences, disable_system_ca_pool, max_version, min_version"),
        at(TLS + ".ca_certs", "must name a PEM file, but was \"\""),
        at(TLS + ".client_certs[0].key", "unknown field; the fields here are certificate, private_key"),
        at(TLS + ".client_certs[0].private_key", "is required"),
        at(TLS + ".min_version", "must be one of SSL3.0, TLS10, TLS11, TLS12, TLS13, but was \"TLS1.2\""),
        at(TLS + ".max_version", "must not be SSL3.0 (the JDK no longer speaks it), but was SSL3.0"),
        at(TLS + ".cipher_suites", "must be an array of whole numbers, but holds \"TLS_AES_128_GCM_SHA256\""));
  }

  @Test
  void reportsTheBuildersCrossFieldAndFileProblemsUnderTheJsonNames() {
    Path missing = Path.of("no-such-ca.pem").toAbsolutePath();

    Optional<ClientTls> tls = clientTls(Map.of(
        "min_version", "TLS13",
        "max_version", "TLS12",
        "disable_system_ca_pool", true,
        "ca_certs", List.of(certificates.caCertificate().toString(), "no-such-ca.pem"),
        "client_certs", List.of(Map.of("certificate", certificates.clientCertificate().toString(),
            "private_key", certificates.serverPrivateKey().toString())),
        "curve_preferences", List.of(23, 4588)));

    assertThat(tls).isEmpty();
    assertThat(violations).containsExactly(
        at(TLS + ".min_version", "must not be above max_version (TLS12), but was TLS13"),
        at(TLS + ".curve_preferences", "[1] must be one of 23 (secp256r1), 24 (secp384r1), 25 (secp521r1),"
            + " 29 (x25519), 30 (x448), 256 (ffdhe2048), 257 (ffdhe3072), 258 (ffdhe4096), 259 (ffdhe6144),"
            + " 260 (ffdhe8192), but was 4588"),
        at(TLS + ".ca_certs", "[1] must be a PEM file of certificates, but " + missing + " does not exist"),
        at(TLS + ".client_certs[0].private_key", "must hold the key of the certificate in "
            + certificates.clientCertificate() + ", but " + certificates.serverPrivateKey()
            + " holds another EC key"));
  }

  @Test
  void reportsTheSystemPoolWithoutCasInTheFilesWords() {
    assertThat(clientTls(Map.of("disable_system_ca_pool", true))).isEmpty();

    assertThat(violations).containsExactly(at(TLS + ".disable_system_ca_pool", "must be false when ca_certs is empty"
        + " and allow_insecure_connections is false (no broker certificate could be trusted), but was true"));
  }
}
