package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.asyncagent.AgentException;
import io.asyncagent.AgentState;
import io.asyncagent.ConnectionException;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.Event;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Sasl#plain(String, String)} against a broker whose SASL_PLAINTEXT listener knows one user. Not
 * {@code @WithEmbeddedKafka}: that broker has no SASL listener.
 */
class SaslPlainIT {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final String PASSWORD = "alice-secret";
  private static final String WRONG_PASSWORD = "not-alice-s3cret";

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startABrokerWithASaslUser() {
    kafka = EmbeddedKafka.builder().saslPlainUser("alice", PASSWORD).start();
  }

  @AfterAll
  static void stopTheBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static AsyncAgent.Builder agent(String topic, String group, Sasl sasl, BackendSink sink) {
    return AsyncAgent.builder()
        .name(group)
        .topics(topic)
        .workers(4)
        .timeout(Duration.ofSeconds(30))
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.saslPlaintextBootstrapServers()).sasl(sasl).build())
            .group(Group.builder().id(group).build())
            .build())
        .sink(sink);
  }

  private static BackendSink collectingInto(Queue<Event> received) {
    return event -> CompletableFuture.runAsync(() -> received.add(event));
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
  void anAgentWithTheRightCredentialsReceivesEveryEventAndCommitsThem() {
    String topic = EmbeddedKafka.uniqueTopic("sasl");
    String group = EmbeddedKafka.uniqueGroup("sasl");
    kafka.createTopic(topic, 3);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(200).distinctKeys(20);
    Queue<Event> received = new ConcurrentLinkedQueue<>();

    try (AsyncAgent agent = agent(topic, group, Sasl.plain("alice", PASSWORD), collectingInto(received)).build()) {
      agent.start();
      assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
      kafka.produce(batch.records());
      Await.until(WAIT, () -> received.size() >= 200, () -> "200 events, got " + received.size());
    }

    assertThat(received.stream().map(Event::bodyAsString).collect(Collectors.toSet()))
        .hasSize(200)
        .isEqualTo(batch.values());
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
  }

  @Test
  void aWrongPasswordFailsTheStartAtOnceWithTheBrokersReasonAndWithoutThePassword() {
    String topic = EmbeddedKafka.uniqueTopic("sasl-wrong");
    String group = EmbeddedKafka.uniqueGroup("sasl-wrong");
    kafka.createTopic(topic, 1);
    Duration startTimeout = Duration.ofSeconds(30); // a safety net only; the session must fail well before it
    Queue<Event> received = new ConcurrentLinkedQueue<>();

    AsyncAgent agent =
        agent(topic, group, Sasl.plain("alice", WRONG_PASSWORD), collectingInto(received))
            .startTimeout(startTimeout)
            .build();
    try (agent) {
      AgentException thrown = catchThrowableOfType(AgentException.class, agent::start);

      assertThat(thrown).as("start() with a wrong password").isNotNull();
      assertThat(thrown)
          .hasMessage("agent '" + group + "' failed to start: the cluster refused the agent "
              + "(SaslAuthenticationException): Authentication failed: Invalid username or password")
          .hasCauseExactlyInstanceOf(ConnectionException.class)
          .hasRootCauseExactlyInstanceOf(SaslAuthenticationException.class);
      assertThat(agent.state()).isEqualTo(AgentState.FAILED);
      assertThat(agent.failureCause())
          .get()
          .isSameAs(thrown.getCause())
          .satisfies(cause -> assertThat(((ConnectionException) cause).isRetriable()).as("retriable").isFalse());
      assertThat(chainOf(thrown))
          .extracting(Throwable::getMessage)
          .noneMatch(message -> message != null && message.contains("did not become ready within"));
      assertThat(chainOf(thrown))
          .allSatisfy(t -> assertThat(t.toString()).doesNotContain(WRONG_PASSWORD).doesNotContain(PASSWORD));
      assertThat(agent.toString()).doesNotContain(WRONG_PASSWORD).doesNotContain(PASSWORD);
    }

    assertThat(agent.state()).isEqualTo(AgentState.FAILED);
    assertThat(received).isEmpty();
    assertThat(kafka.committedOffsets(group, topic)).isEmpty();
  }
}
