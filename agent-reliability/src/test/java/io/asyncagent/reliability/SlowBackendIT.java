package io.asyncagent.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentHealth;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.reliability.ReliabilityReport.Row;
import io.asyncagent.reliability.ReliabilityReport.Scenario;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.TcpProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backend slows down to ten times its usual latency for 30 s while records keep coming faster than it can take
 * them: the backlog stays in Kafka, and the agent's buffer never holds more events or bytes than its caps allow.
 */
@Tag("full")
@ExtendWith(ReliabilityReport.class)
class SlowBackendIT {
  private static final int PARTITIONS = 6;
  private static final int PER_SECOND = 600;
  private static final int WORKERS = 16;
  private static final int BUFFER_SIZE = 128;
  private static final long MAX_BUFFERED_BYTES = 4 * 1024;
  /** The backend's own latency; the proxy in front of it adds 4.5 times as much each way when it is slow. */
  private static final Duration USUAL_LATENCY = Duration.ofMillis(5);
  private static final Duration SLOW = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofMinutes(3);

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startABroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopTheBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aBackendTenTimesSlowerForThirtySecondsKeepsTheAgentsBufferWithinItsCapsAndLosesNoRecord() {
    long began = System.nanoTime();
    String topic = EmbeddedKafka.uniqueTopic("slow-backend");
    String group = EmbeddedKafka.uniqueGroup("slow-backend");
    kafka.createTopic(topic, PARTITIONS);
    Ledger ledger = new Ledger();
    AtomicInteger maxEvents = new AtomicInteger();
    AtomicLong maxBytes = new AtomicLong();
    AtomicInteger samples = new AtomicInteger();
    AtomicLong maxLag = new AtomicLong();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    Set<Integer> produced;
    Optional<Duration> recovery;
    int deliveredWhileSlow;

    try (RecordingHttpBackend backend = RecordingHttpBackend.builder().latency(USUAL_LATENCY)
            .responder(ledger.responder()).start();
         TcpProxy network = TcpProxy.start(new InetSocketAddress("127.0.0.1", backend.uri().getPort()));
         AsyncAgent agent = Agents.inJvm(kafka.bootstrapServers(), topic, group,
                 HttpBackend.builder().host("http://" + network.address()).urlPattern("/events")
                     .forwardCoordinates(true).build())
             .workers(WORKERS).bufferSize(BUFFER_SIZE).maxBufferedBytes(MAX_BUFFERED_BYTES).build();
         SteadyStream stream = SteadyStream.start(kafka, topic, PER_SECOND)) {
      agent.start();
      sampler.scheduleAtFixedRate(() -> {
        AgentHealth health = agent.health();
        maxEvents.accumulateAndGet(health.bufferedEvents(), Math::max);
        maxBytes.accumulateAndGet(health.bufferedBytes(), Math::max);
        health.lag().ifPresent(lag -> maxLag.accumulateAndGet(lag, Math::max));
        samples.incrementAndGet();
      }, 0, 5, TimeUnit.MILLISECONDS);
      Await.until(WAIT, () -> ledger.distinctDelivered() >= 2_000,
          () -> "2000 deliveries before the slowdown, got " + ledger.distinctDelivered());

      // 5 ms of the backend + 2 × 22.5 ms of the network: 50 ms, ten times the usual.
      network.delay(USUAL_LATENCY.multipliedBy(9).dividedBy(2));
      int deliveredAtSlow = ledger.distinctDelivered();
      long slowAt = System.nanoTime();
      Await.until(WAIT, () -> System.nanoTime() - slowAt >= SLOW.toNanos(), "the slowdown to last " + SLOW);
      network.pass();
      long fastAt = System.nanoTime();
      deliveredWhileSlow = ledger.distinctDelivered() - deliveredAtSlow;
      assertThat(agent.state()).isEqualTo(AgentState.RUNNING);

      Await.until(WAIT, () -> Recovery.since(fastAt, ledger, stream, PARTITIONS).isPresent(),
          () -> "every partition to deliver records sent after the backend sped up again; " + agent.health());
      long recoveredAt = System.nanoTime();
      Await.until(WAIT, () -> System.nanoTime() - recoveredAt >= Duration.ofSeconds(3).toNanos(), "3 s more stream");
      produced = stream.stop();
      Map<Integer, Long> end = kafka.endOffsets(topic);
      Await.until(WAIT, () -> kafka.committedOffsets(group, topic).equals(end),
          () -> "the agent to commit " + end + ", got " + kafka.committedOffsets(group, topic));
      recovery = Recovery.since(fastAt, ledger, stream, PARTITIONS);
    } finally {
      sampler.shutdownNow();
    }

    Tally tally = Tally.count(produced, ledger.deliveries(), Set.of());
    ReliabilityReport.add(new Row(Scenario.SLOW_BACKEND,
        "Slow backend: 10× its latency (5 → 50 ms) for " + SLOW.toSeconds() + " s",
        tally, Recovery.format(recovery), Duration.ofNanos(System.nanoTime() - began),
        "one broker; an agent in the test JVM (" + WORKERS + " workers, bufferSize " + BUFFER_SIZE
            + ", maxBufferedBytes " + MAX_BUFFERED_BYTES + ") reads " + PARTITIONS + " partitions while " + PER_SECOND
            + " records/s are produced, to a backend answering in 5 ms; a TcpProxy in front of the backend then adds"
            + " 22.5 ms each way for " + SLOW.toSeconds() + " s, so the agent can deliver about " + WORKERS
            + " / 50 ms = " + WORKERS * 20 + " records/s (it delivered " + deliveredWhileSlow + " meanwhile) and"
            + " the backlog stays in Kafka (lag up to " + maxLag.get() + "). Sampled every 5 ms (" + samples.get()
            + " samples), the agent's buffer peaked at " + maxEvents.get() + " events (cap " + (WORKERS + BUFFER_SIZE)
            + ") and " + maxBytes.get() + " bytes (cap " + MAX_BUFFERED_BYTES + "). Recovery is measured from the"
            + " backend's return to its usual latency."));

    assertThat(tally.unexpected()).as("deliveries of records never produced").isZero();
    assertThat(tally.lost()).as("records lost").isZero();
    assertThat(tally.delivered()).as("records delivered").isEqualTo(produced.size());
    assertThat(maxEvents.get()).as("most events buffered").isLessThanOrEqualTo(WORKERS + BUFFER_SIZE);
    assertThat(maxBytes.get()).as("most bytes buffered").isLessThanOrEqualTo(MAX_BUFFERED_BYTES);
    assertThat(samples.get()).as("samples of the agent's health").isGreaterThan(1_000);
  }
}
