package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.asyncagent.AgentException;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.ConnectionException;
import io.asyncagent.Event;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.TestCertificates;
import io.asyncagent.testkit.TestOAuthServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Sasl} and {@link ClientTls} against real listeners of one broker: SASL_PLAINTEXT with PLAIN, SCRAM and
 * OAUTHBEARER users, SSL requiring client certificates (mutual TLS), and SASL_SSL. Certificates and keys are PEM files
 * made by the test.
 */
class SecurityIT {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final int EVENTS = 120;
  private static final String PLAIN_PASSWORD = "alice-s3cret\"with\\quotes";
  private static final String SCRAM_PASSWORD = "bob-scram-s3cret";
  private static final String OAUTH_SECRET = "carol-oauth-s3cret";
  private static final String WRONG_PASSWORD = "not-the-s3cret-at-all";

  private static TestCertificates certificates;
  private static TestOAuthServer oauth;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startABrokerWithEverySecureListener() {
    certificates = TestCertificates.shared();
    oauth = TestOAuthServer.builder().client("carol", OAUTH_SECRET).start();
    kafka = EmbeddedKafka.builder()
        .saslPlainUser("alice", PLAIN_PASSWORD)
        .saslScramUser("bob", SCRAM_PASSWORD)
        .oauthBearer(oauth)
        .mutualTls(certificates)
        .start();
  }

  @AfterAll
  static void stopTheBroker() {
    if (kafka != null) {
      kafka.close();
    }
    if (oauth != null) {
      oauth.close();
    }
  }

  private static AsyncAgent.Builder agent(String topic, String group, Cluster cluster, Queue<Event> received) {
    return AsyncAgent.builder()
        .name(group)
        .topics(topic)
        .workers(4)
        .timeout(Duration.ofSeconds(30))
        .startTimeout(Duration.ofSeconds(30)) // a safety net only: refused agents fail well before it
        .driver(KafkaDriver.builder().cluster(cluster).group(Group.of(group)).build())
        .sink(TestAgents.collectingInto(received));
  }

  /** Runs an agent over {@code cluster} until it has every one of {@link #EVENTS} events, and checks its commits. */
  private static void assertDelivers(String name, Cluster cluster) {
    String topic = EmbeddedKafka.uniqueTopic(name);
    String group = EmbeddedKafka.uniqueGroup(name);
    kafka.createTopic(topic, 3);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(EVENTS).distinctKeys(12);
    Queue<Event> received = new ConcurrentLinkedQueue<>();

    try (AsyncAgent agent = agent(topic, group, cluster, received).build()) {
      agent.start();
      assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
      kafka.produce(batch.records());
      Await.until(WAIT, () -> received.size() >= EVENTS, () -> EVENTS + " events, got " + received.size());
    }

    assertThat(received.stream().map(Event::bodyAsString).collect(Collectors.toList()))
        .hasSize(EVENTS)
        .containsExactlyInAnyOrderElementsOf(batch.values());
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
  }

  /**
   * Starts an agent of {@code group} that the cluster refuses, and checks that it failed at once (not by the start
   * timeout) and for good; returns the exception {@code start()} threw.
   */
  private static AgentException assertRefused(String group, Cluster cluster) {
    String topic = EmbeddedKafka.uniqueTopic(group);
    kafka.createTopic(topic, 1);
    Queue<Event> received = new ConcurrentLinkedQueue<>();
    AsyncAgent agent = agent(topic, group, cluster, received).build();
    AgentException thrown;
    try (agent) {
      thrown = catchThrowableOfType(AgentException.class, agent::start);
      assertThat(thrown).as("start() of a refused agent").isNotNull();
      assertThat(agent.state()).isEqualTo(AgentState.FAILED);
      assertThat(agent.failureCause()).get().isSameAs(thrown.getCause())
          .isInstanceOfSatisfying(ConnectionException.class, c -> assertThat(c.isRetriable()).isFalse());
      assertThat(chainOf(thrown)).extracting(Throwable::getMessage)
          .noneMatch(message -> message != null && message.contains("did not become ready within"));
    }
    assertThat(received).isEmpty();
    assertThat(kafka.committedOffsets(group, topic)).isEmpty();
    return thrown;
  }

  private static Cluster.Builder saslPlaintext() {
    return Cluster.builder().brokers(kafka.saslPlaintextBootstrapServers());
  }

  private static ClientTls.Builder trustingTheTestCa() {
    return ClientTls.builder().caCerts(List.of(certificates.caCertificate())).disableSystemCaPool(true);
  }

  /** Returns the throwable, its causes and everything suppressed along the way. */
  private static List<Throwable> chainOf(Throwable thrown) {
    List<Throwable> chain = new ArrayList<>();
    List<Throwable> toVisit = new ArrayList<>(List.of(thrown));
    while (!toVisit.isEmpty()) {
      Throwable next = toVisit.remove(0);
      if (next == null || chain.contains(next)) {
        continue;
      }
      chain.add(next);
      toVisit.add(next.getCause());
      toVisit.addAll(List.of(next.getSuppressed()));
    }
    return chain;
  }

  @Test
  void aPlainUserOverSaslPlaintextReceivesEveryEvent() {
    assertDelivers("plain", saslPlaintext().sasl(Sasl.plain("alice", PLAIN_PASSWORD)).build());
  }

  @Test
  void aScramSha256UserReceivesEveryEvent() {
    assertDelivers("scram256", saslPlaintext().sasl(Sasl.scramSha256("bob", SCRAM_PASSWORD)).build());
  }

  @Test
  void aScramSha512UserReceivesEveryEvent() {
    assertDelivers("scram512", saslPlaintext().sasl(Sasl.scramSha512("bob", SCRAM_PASSWORD)).build());
  }

  @Test
  void anOauthClientReceivesEveryEventWithATokenFromTheTokenEndpoint() {
    int tokensBefore = oauth.tokensIssued();

    assertDelivers("oauth", saslPlaintext()
        .sasl(Sasl.builder().mechanism(Sasl.Mechanism.OAUTHBEARER).tokenEndpoint(oauth.tokenEndpoint())
            .user("carol").password(OAUTH_SECRET).scope("kafka").build())
        .build());

    assertThat(oauth.tokensIssued() - tokensBefore).isGreaterThanOrEqualTo(1);
    assertThat(System.getProperty("org.apache.kafka.sasl.oauthbearer.allowed.urls"))
        .contains(oauth.tokenEndpoint().toString());
  }

  @ParameterizedTest
  @EnumSource(value = Sasl.Mechanism.class, names = {"PLAIN", "SCRAM_SHA_256", "SCRAM_SHA_512"})
  void aWrongPasswordFailsTheAgentAsRefusedAndThePasswordAppearsNowhere(Sasl.Mechanism mechanism) {
    String user = mechanism == Sasl.Mechanism.PLAIN ? "alice" : "bob";
    Sasl wrong = Sasl.builder().mechanism(mechanism).user(user).password(WRONG_PASSWORD).build();
    String group = EmbeddedKafka.uniqueGroup("wrong-" + mechanism.name().toLowerCase(Locale.ROOT).replace('_', '-'));

    AgentException thrown;
    String log;
    try (LogCapture capture = LogCapture.ofSystemErr()) {
      thrown = assertRefused(group, saslPlaintext().sasl(wrong).build());
      log = capture.text();
    }

    String reason = mechanism == Sasl.Mechanism.PLAIN
        ? "Authentication failed: Invalid username or password"
        : "Authentication failed during authentication due to invalid credentials with SASL mechanism "
            + mechanism.kafkaName();
    assertThat(thrown)
        .hasMessage("agent '" + group + "' failed to start: the cluster refused the agent"
            + " (SaslAuthenticationException): " + reason)
        .hasRootCauseExactlyInstanceOf(SaslAuthenticationException.class);
    assertThat(log).as("the log of the scenario").contains(reason);
    assertThat(log).doesNotContain(WRONG_PASSWORD);
    assertThat(chainOf(thrown)).allSatisfy(t -> assertThat(t.toString()).doesNotContain(WRONG_PASSWORD));
    assertThat(wrong.toString()).isEqualTo("Sasl{mechanism=" + mechanism.kafkaName() + ", user=" + user
        + ", password=****}");
  }

  @Test
  void mutualTlsWithPemFilesReceivesEveryEvent() {
    assertDelivers("mtls", Cluster.builder().brokers(kafka.sslBootstrapServers())
        .clientTls(trustingTheTestCa()
            .clientCert(certificates.clientCertificate(), certificates.clientPrivateKey())
            .build())
        .build());
  }

  @Test
  void scramOverTlsReceivesEveryEvent() {
    assertDelivers("sasl-ssl", Cluster.builder().brokers(kafka.saslSslBootstrapServers())
        .sasl(Sasl.scramSha512("bob", SCRAM_PASSWORD))
        .clientTls(trustingTheTestCa().minVersion(ClientTls.TlsVersion.TLS12).build())
        .build());
  }

  @Test
  void allowInsecureConnectionsAcceptsACertificateNoTrustedCaSigned() {
    assertDelivers("insecure", Cluster.builder().brokers(kafka.sslBootstrapServers())
        .clientTls(ClientTls.builder()
            .caCerts(List.of(certificates.otherCaCertificate()))
            .disableSystemCaPool(true)
            .allowInsecureConnections(true)
            .clientCert(certificates.clientCertificate(), certificates.clientPrivateKey())
            .build())
        .build());
  }

  @Test
  void aServerCertificateNoTrustedCaSignedFailsTheAgentNamingTheCertificateProblem() {
    String group = EmbeddedKafka.uniqueGroup("untrusted");
    AgentException thrown = assertRefused(group, Cluster.builder().brokers(kafka.sslBootstrapServers())
        .clientTls(ClientTls.builder()
            .caCerts(List.of(certificates.otherCaCertificate()))
            .disableSystemCaPool(true)
            .clientCert(certificates.clientCertificate(), certificates.clientPrivateKey())
            .build())
        .build());

    assertThat(thrown)
        .hasMessageStartingWith("agent '" + group + "' failed to start: the cluster refused the agent"
            + " (SslAuthenticationException): SSL handshake failed: the broker's certificate 'CN=localhost' (issued by"
            + " 'CN=async-agent test CA') is not signed by a CA the agent trusts (it trusts only those of"
            + " clientTls.caCerts): PKIX path building failed: ");
    assertThat(thrown.getCause()).hasCauseExactlyInstanceOf(SslAuthenticationException.class);
    assertThat(thrown.getCause().getCause().getCause())
        .isInstanceOf(SSLException.class)
        .hasMessageStartingWith("the broker's certificate 'CN=localhost' (issued by 'CN=async-agent test CA') is not"
            + " signed by a CA the agent trusts (it trusts only those of clientTls.caCerts): PKIX path building"
            + " failed: ");
  }

  @Test
  void anAgentWithoutAClientCertificateIsRefusedByTheMutualTlsListener() {
    String group = EmbeddedKafka.uniqueGroup("no-client-cert");
    AgentException thrown = assertRefused(group, Cluster.builder().brokers(kafka.sslBootstrapServers())
        .clientTls(trustingTheTestCa().build())
        .build());

    // In TLS 1.3 the client finishes its handshake first; the broker's refusal arrives after it.
    assertThat(thrown)
        .hasMessage("agent '" + group + "' failed to start: the cluster refused the agent"
            + " (SslAuthenticationException): Failed to process post-handshake messages: Received fatal alert:"
            + " bad_certificate");
    assertThat(thrown.getCause()).hasCauseExactlyInstanceOf(SslAuthenticationException.class);
    assertThat(thrown.getCause().getCause().getCause())
        .isInstanceOf(SSLException.class)
        .hasMessage("Received fatal alert: bad_certificate");
  }

  /** Copies what is written to {@code System.err} while open, and passes it on. */
  static final class LogCapture implements AutoCloseable {
    private final PrintStream original;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private LogCapture(PrintStream original) {
      this.original = original;
    }

    /** Starts copying; slf4j-simple looks {@code System.err} up for every line, so its output is caught. */
    static LogCapture ofSystemErr() {
      LogCapture capture = new LogCapture(System.err);
      System.setErr(new PrintStream(new Tee(capture.original, capture.copy), true, StandardCharsets.UTF_8));
      return capture;
    }

    String text() {
      return copy.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      System.setErr(original);
    }

    private static final class Tee extends OutputStream {
      private final PrintStream first;
      private final ByteArrayOutputStream second;

      Tee(PrintStream first, ByteArrayOutputStream second) {
        this.first = first;
        this.second = second;
      }

      @Override
      public void write(int b) {
        second.write(b);
        first.write(b);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        second.write(bytes, offset, length);
        first.write(bytes, offset, length);
      }

      @Override
      public void flush() {
        first.flush();
      }
    }
  }
}
