package io.asyncagent.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.reliability.ReliabilityReport.Row;
import io.asyncagent.reliability.ReliabilityReport.Scenario;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.ChildAgent;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Agents the cluster refuses — wrong credentials, an expired broker certificate, a topic the principal may not read —
 * each fail at once with a cause that names the problem, commit nothing, and write no secret in any log line; the
 * same group, once the problem is fixed, delivers every record.
 *
 * <p>Each agent runs in a JVM of its own that logs at INFO (Kafka's client configuration dumps included) to a file, so
 * "no secret in any log line" is checked against everything the process wrote.
 */
@Tag("full")
@ExtendWith(ReliabilityReport.class)
class SecurityFailuresIT {
  private static final String ALICE_PASSWORD = "alice-pl41n-s3cret";
  private static final String BOB_PASSWORD = "bob-scr4m-s3cret";
  private static final String WRONG_PASSWORD = "n0t-b0bs-s3cret";
  private static final List<String> SECRETS = List.of(ALICE_PASSWORD, BOB_PASSWORD, WRONG_PASSWORD);
  private static final int RECORDS = 1_000;
  /** Every logger at INFO, Kafka's own included: its clients log their whole configuration when they start. */
  private static final String INFO = "-Dorg.slf4j.simpleLogger.defaultLogLevel=info";
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final Duration STOP = Duration.ofSeconds(60);

  private static TestCertificates expired;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startABrokerWithAnExpiredCertificateSaslUsersAndAnAuthorizer() {
    expired = TestCertificates.builder()
        .serverValidity(Instant.now().minus(Duration.ofDays(30)), Duration.ofDays(1))
        .create();
    kafka = EmbeddedKafka.builder()
        .saslPlainUser("alice", ALICE_PASSWORD)
        .saslScramUser("bob", BOB_PASSWORD)
        .ssl(expired)
        // ACLs decide; the brokers' own listeners (and the test's admin client) are unauthenticated, so ANONYMOUS is a
        // super user, and a resource without ACLs is open to all.
        .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .brokerProperty("super.users", "User:ANONYMOUS")
        .brokerProperty("allow.everyone.if.no.acl.found", "true")
        .start();
  }

  @AfterAll
  static void stopTheBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aWrongScramPasswordFailsTheAgentNamingTheProblemAndTheRightOneThenDeliversEveryRecord() {
    long began = System.nanoTime();
    Setup setup = Setup.of("wrong-password");
    Ledger ledger = new Ledger();
    Refusal refusal;

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder().responder(ledger.responder()).start()) {
      refusal = refused(agent("wrong-password", kafka.saslPlaintextBootstrapServers(), setup, backend,
          "sasl=SCRAM-SHA-512", "user=bob").environment(AgentMain.PASSWORD_VARIABLE, WRONG_PASSWORD), setup);
      assertThat(refusal.cause).isEqualTo("agent 'wrong-password' failed to start: the cluster refused the agent"
          + " (SaslAuthenticationException): Authentication failed during authentication due to invalid credentials"
          + " with SASL mechanism SCRAM-SHA-512");

      deliversEverything(agent("right-password", kafka.saslPlaintextBootstrapServers(), setup, backend,
          "sasl=SCRAM-SHA-512", "user=bob").environment(AgentMain.PASSWORD_VARIABLE, BOB_PASSWORD).start(), setup,
          refusal);
    }

    report(Scenario.WRONG_CREDENTIALS, "Security: wrong SCRAM-SHA-512 password", setup, ledger, refusal, began,
        "then an agent of the same group with the right password delivered every record.");
  }

  @Test
  void anExpiredBrokerCertificateFailsTheAgentNamingTheExpiryAndAnotherListenerThenDeliversEveryRecord() {
    long began = System.nanoTime();
    Setup setup = Setup.of("expired-certificate");
    Ledger ledger = new Ledger();
    Refusal refusal;

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder().responder(ledger.responder()).start()) {
      refusal = refused(agent("expired-certificate", kafka.sslBootstrapServers(), setup, backend,
          "caCert=" + expired.caCertificate()), setup);
      assertThat(refusal.cause).startsWith("agent 'expired-certificate' failed to start: the cluster refused the agent"
          + " (SslAuthenticationException): SSL handshake failed: the broker's certificate 'CN=localhost' (issued by"
          + " 'CN=async-agent test CA') expired at ");

      deliversEverything(agent("plain-listener", kafka.saslPlaintextBootstrapServers(), setup, backend,
          "sasl=PLAIN", "user=alice").environment(AgentMain.PASSWORD_VARIABLE, ALICE_PASSWORD).start(), setup,
          refusal);
    }

    report(Scenario.EXPIRED_CERTIFICATE, "Security: the broker's certificate expired", setup, ledger, refusal, began,
        "then an agent of the same group over the SASL listener delivered every record.");
  }

  @Test
  void aTopicThePrincipalMayNotReadFailsTheAgentNamingTheTopicAndOnceAllowedItDeliversEveryRecord() {
    long began = System.nanoTime();
    Setup setup = Setup.of("not-authorized");
    AclBinding denyRead = new AclBinding(new ResourcePattern(ResourceType.TOPIC, setup.topic, PatternType.LITERAL),
        new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.DENY));
    await(kafka.admin().createAcls(List.of(denyRead)).all(), "create " + denyRead);
    Await.until(WAIT, () -> !await(kafka.admin().describeAcls(denyRead.toFilter()).values(), "describe ACLs")
        .isEmpty(), "the broker to hold " + denyRead);
    Ledger ledger = new Ledger();
    Refusal refusal;

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder().responder(ledger.responder()).start();
         ChildAgent alice = agent("not-authorized", kafka.saslPlaintextBootstrapServers(), setup, backend,
             "sasl=PLAIN", "user=alice").environment(AgentMain.PASSWORD_VARIABLE, ALICE_PASSWORD).start()) {
      refusal = refusal(alice, setup);
      assertThat(refusal.cause).isEqualTo("agent 'not-authorized' failed to start: the cluster refused the agent"
          + " (TopicAuthorizationException): Not authorized to access topics: [" + setup.topic + "]");

      AclBindingFilter filter = denyRead.toFilter();
      await(kafka.admin().deleteAcls(List.of(filter)).all(), "delete " + denyRead);
      Await.until(WAIT, () -> await(kafka.admin().describeAcls(filter).values(), "describe ACLs").isEmpty(),
          "the broker to drop " + denyRead);
      alice.restart();
      deliversEverything(alice, setup, refusal);
    }

    report(Scenario.TOPIC_NOT_AUTHORIZED, "Security: a topic the principal may not read", setup, ledger, refusal,
        began, "then, with the ACL that denied it removed, the same agent started again delivered every record.");
  }

  /** An agent JVM of the scenario's group, logging at INFO. */
  private static ChildAgent.Builder agent(String name, String bootstrapServers, Setup setup,
      RecordingHttpBackend backend, String... options) {
    return Agents.child(name, bootstrapServers, setup.topic, setup.group, backend, options).jvmOptions(INFO);
  }

  /** Starts a child the cluster must refuse, and returns how. */
  private static Refusal refused(ChildAgent.Builder child, Setup setup) {
    try (ChildAgent refused = child.start()) {
      return refusal(refused, setup);
    }
  }

  private static Refusal refusal(ChildAgent child, Setup setup) {
    String failed = child.awaitLine(line -> line.startsWith(AgentMain.FAILED), WAIT, "a FAILED line");
    long millis = Long.parseLong(child.lastLineStartingWith(AgentMain.STARTUP_MILLIS).orElseThrow()
        .substring(AgentMain.STARTUP_MILLIS.length()));
    Await.until(WAIT, () -> !child.isAlive(), "the refused agent's JVM to exit");
    assertThat(setup.committed()).as("offsets the refused agent committed").isEmpty();
    Secrets secrets = Secrets.check(child);
    assertThat(secrets.found).as("log and output lines of the refused agent with a secret").isEmpty();
    return new Refusal(failed.substring(AgentMain.FAILED.length()), Duration.ofMillis(millis), secrets.lines);
  }

  private static void deliversEverything(ChildAgent agent, Setup setup, Refusal refusal) {
    try (agent) {
      agent.awaitRunning(Agents.CHILD_START);
      Await.until(WAIT, () -> setup.committed().equals(setup.end),
          () -> "the group to commit " + setup.end + ", got " + setup.committed());
      agent.stop(STOP);
      Secrets secrets = Secrets.check(agent);
      assertThat(secrets.found).as("log and output lines of the accepted agent with a secret").isEmpty();
      refusal.linesChecked += secrets.lines;
    }
  }

  private static void report(Scenario scenario, String title, Setup setup, Ledger ledger, Refusal refusal,
      long began, String then) {
    Tally tally = Tally.count(setup.numbers, ledger.deliveries(), Set.of());
    ReliabilityReport.add(new Row(scenario, title, tally,
        "FAILED in " + Recovery.seconds(refusal.startup), Duration.ofNanos(System.nanoTime() - began),
        "an agent JVM (logging at INFO) is started on a topic of " + RECORDS + " records; start() fails after "
            + Recovery.seconds(refusal.startup) + " and the agent is FAILED with the cause `" + refusal.cause
            + "`; it committed nothing, and none of the " + refusal.linesChecked + " log and output lines of the"
            + " scenario's agents holds a password; " + then));

    assertThat(tally.unexpected()).as("deliveries of records never produced").isZero();
    assertThat(tally.lost()).as("records lost").isZero();
    assertThat(tally.delivered()).as("records delivered").isEqualTo(RECORDS);
  }

  private static <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not " + what + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }

  /** A scenario's topic (3 partitions, {@value #RECORDS} records already in it) and group. */
  private static final class Setup {
    final String topic;
    final String group;
    final Set<Integer> numbers;
    final Map<Integer, Long> end;

    private Setup(String topic, String group) {
      this.topic = topic;
      this.group = group;
      kafka.createTopic(topic, 3);
      kafka.produce(NumberedRecords.forTopic(topic).count(RECORDS).distinctKeys(30).records());
      this.numbers = IntStream.range(0, RECORDS).boxed().collect(Collectors.toSet());
      this.end = kafka.endOffsets(topic);
    }

    static Setup of(String name) {
      return new Setup(EmbeddedKafka.uniqueTopic(name), EmbeddedKafka.uniqueGroup(name));
    }

    Map<Integer, Long> committed() {
      return kafka.committedOffsets(group, topic);
    }
  }

  /** How the cluster refused an agent. */
  private static final class Refusal {
    final String cause;
    final Duration startup;
    int linesChecked;

    Refusal(String cause, Duration startup, int linesChecked) {
      this.cause = cause;
      this.startup = startup;
      this.linesChecked = linesChecked;
    }
  }

  /** The lines a child wrote (its stderr log and its stdout) that hold a secret, and how many lines there were. */
  private static final class Secrets {
    final List<String> found = new ArrayList<>();
    int lines;

    static Secrets check(ChildAgent child) {
      Secrets secrets = new Secrets();
      List<String> all = new ArrayList<>(child.lines());
      all.addAll(read(child.stderrLog()));
      secrets.lines = all.size();
      for (String line : all) {
        if (SECRETS.stream().anyMatch(line::contains)) {
          secrets.found.add(line);
        }
      }
      return secrets;
    }

    private static List<String> read(Path log) {
      try {
        return Files.readAllLines(log, UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + log, e);
      }
    }
  }
}
