package io.asyncagent.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryException;
import io.asyncagent.DeliveryFailure;
import io.asyncagent.DeliveryFailure.Next;
import io.asyncagent.DeliveryTimeoutException;
import io.asyncagent.Event;
import io.asyncagent.Partition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final AgentListener metrics = AgentMetrics.listener(registry);
  private final StubAgent agent = new StubAgent("orders");

  private static Event event(String topic, long offset) {
    return Event.builder(topic, 0, offset).build();
  }

  private double count(String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? -1 : counter.count();
  }

  private void start() {
    agent.state = AgentState.STARTING;
    metrics.stateChanged(agent, AgentState.NEW, AgentState.STARTING);
    agent.state = AgentState.RUNNING;
    metrics.stateChanged(agent, AgentState.STARTING, AgentState.RUNNING);
  }

  private void stop() {
    agent.state = AgentState.STOPPED;
    metrics.stateChanged(agent, AgentState.STOPPING, AgentState.STOPPED);
  }

  @Test
  void countsEachEventCallUnderItsAgentAndTopic() {
    start();
    Event a = event("orders", 0);
    Event b = event("orders", 1);
    Event c = event("refunds", 0);
    DeliveryException http503 = new DeliveryException("HTTP 503", true, 503, null);

    List.of(a, b, c).forEach(e -> metrics.received(agent, e));
    metrics.delivered(agent, DeliveryAttempt.of(a, 1, Duration.ofMillis(20)));
    metrics.failed(agent, DeliveryAttempt.of(b, 1, Duration.ofMillis(100)), DeliveryFailure.of(http503, Next.RETRY));
    metrics.retryScheduled(agent, b, 2, Duration.ofMillis(200));
    metrics.failed(agent, DeliveryAttempt.of(b, 2, Duration.ofMillis(100)),
        DeliveryFailure.of(http503, Next.DEAD_LETTER));
    metrics.deadLettered(agent, b, DeliveryFailure.of(http503, Next.DEAD_LETTER));
    metrics.delivered(agent, DeliveryAttempt.of(c, 1, Duration.ofMillis(40)));

    assertThat(count(AgentMetrics.EVENTS_RECEIVED, "agent", "orders", "topic", "orders")).isEqualTo(2);
    assertThat(count(AgentMetrics.EVENTS_RECEIVED, "agent", "orders", "topic", "refunds")).isEqualTo(1);
    assertThat(count(AgentMetrics.EVENTS_DELIVERED, "agent", "orders", "topic", "orders")).isEqualTo(1);
    assertThat(count(AgentMetrics.EVENTS_DELIVERED, "agent", "orders", "topic", "refunds")).isEqualTo(1);
    assertThat(count(AgentMetrics.EVENTS_FAILED, "topic", "orders", "reason", "5xx", "next", "retry")).isEqualTo(1);
    assertThat(count(AgentMetrics.EVENTS_FAILED, "topic", "orders", "reason", "5xx", "next", "dead_letter"))
        .isEqualTo(1);
    assertThat(count(AgentMetrics.EVENTS_RETRIED, "topic", "orders")).isEqualTo(1);
    assertThat(count(AgentMetrics.EVENTS_DEAD_LETTERED, "topic", "orders")).isEqualTo(1);
    Timer failures = registry.get(AgentMetrics.DELIVERY_ATTEMPTS).tags("topic", "orders", "outcome", "failure").timer();
    assertThat(failures.count()).isEqualTo(2);
    assertThat(failures.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200);
    Timer successes = registry.get(AgentMetrics.DELIVERY_ATTEMPTS).tags("topic", "refunds", "outcome", "success")
        .timer();
    assertThat(successes.count()).isEqualTo(1);
    assertThat(successes.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
  }

  @Test
  void tagsAFailureWithTheStatusClassOrItsReasonAndWithWhatFollows() {
    start();
    Event e = event("orders", 0);
    DeliveryAttempt attempt = DeliveryAttempt.of(e, 1, Duration.ZERO);
    List.of(
        DeliveryFailure.of(new DeliveryTimeoutException(e.coordinates(), Duration.ofSeconds(2)), Next.SKIP),
        DeliveryFailure.of(new DeliveryException("HTTP 404", false, 404, null), Next.DROP),
        DeliveryFailure.of(new DeliveryException("HTTP 503", true, 503, null), Next.SKIP),
        DeliveryFailure.of(new DeliveryException("POST failed", true, new IOException("refused")), Next.RETRY),
        DeliveryFailure.of(new DeliveryException("duplicate", false), Next.DEAD_LETTER),
        DeliveryFailure.of(new IllegalStateException("bug"), Next.SKIP),
        DeliveryFailure.of(new IllegalStateException("bug"), Next.SKIP))
        .forEach(failure -> metrics.failed(agent, attempt, failure));

    Map<String, Double> byTags = new TreeMap<>();
    registry.find(AgentMetrics.EVENTS_FAILED).counters().forEach(counter -> byTags.put(
        counter.getId().getTag("reason") + "/" + counter.getId().getTag("next"), counter.count()));
    assertThat(byTags).containsExactly(
        Map.entry("4xx/drop", 1.0),
        Map.entry("5xx/skip", 1.0),
        Map.entry("connection/retry", 1.0),
        Map.entry("exception/skip", 2.0),
        Map.entry("rejected/dead_letter", 1.0),
        Map.entry("timeout/skip", 1.0));
  }

  @Test
  void measuresEndToEndLatencyFromTheEventsTimestampAndSkipsEventsWithoutOne() {
    start();
    clock.add(1_700_000_000_000L, TimeUnit.MILLISECONDS); // a mock clock starts at the epoch
    long now = clock.wallTime();
    Event stamped = Event.builder("orders", 0, 0).timestampMillis(now - 1_500).build();
    Event unstamped = Event.builder("orders", 0, 1).build();
    Event fromTheFuture = Event.builder("orders", 0, 2).timestampMillis(now + 60_000).build();

    for (Event e : List.of(stamped, unstamped, fromTheFuture)) {
      metrics.delivered(agent, DeliveryAttempt.of(e, 1, Duration.ofMillis(1)));
    }

    Timer latency = registry.get(AgentMetrics.EVENTS_LATENCY).tags("agent", "orders", "topic", "orders").timer();
    assertThat(latency.count()).as("the unstamped event is not measured").isEqualTo(2);
    assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).as("a clock ahead of ours counts as 0").isEqualTo(1_500);
  }

  @Test
  void bindsGaugesToTheAgentsHealthWhileItRunsAndRemovesThemWhenItStops() {
    start();
    agent.inFlight = 3;
    agent.buffered = 10;
    agent.bytes = 4_096;

    assertThat(registry.get(AgentMetrics.IN_FLIGHT_EVENTS).tag("agent", "orders").gauge().value()).isEqualTo(3);
    assertThat(registry.get(AgentMetrics.BUFFERED_EVENTS).tag("agent", "orders").gauge().value()).isEqualTo(10);
    Gauge bytes = registry.get(AgentMetrics.BUFFERED_BYTES).tag("agent", "orders").gauge();
    assertThat(bytes.value()).isEqualTo(4_096);
    assertThat(bytes.getId().getBaseUnit()).isEqualTo("bytes");
    Gauge lag = registry.get(AgentMetrics.CONSUMER_LAG).tag("agent", "orders").gauge();
    assertThat(lag.value()).as("unknown").isNaN();
    agent.lag = java.util.OptionalLong.of(42);
    assertThat(lag.value()).isEqualTo(42);

    stop();
    assertThat(registry.find(AgentMetrics.BUFFERED_EVENTS).gauges()).isEmpty();
    assertThat(registry.find(AgentMetrics.CONSUMER_LAG).gauges()).isEmpty();

    StubAgent successor = new StubAgent("orders");
    successor.buffered = 7;
    successor.state = AgentState.STARTING;
    metrics.stateChanged(successor, AgentState.NEW, AgentState.STARTING);
    assertThat(registry.get(AgentMetrics.BUFFERED_EVENTS).tag("agent", "orders").gauge().value())
        .as("the new agent of the same name binds its own").isEqualTo(7);
  }

  @Test
  void keepsTheCommittedOffsetPerOwnedPartitionAndForgetsARevokedOneEvenWhenALateCommitFollows() {
    start();
    Partition p0 = new Partition("orders", 0);
    Partition p1 = new Partition("orders", 1);
    metrics.partitionsAssigned(agent, Set.of(p0, p1));

    metrics.committed(agent, p0, 10);
    metrics.committed(agent, p1, 5);
    metrics.committed(agent, p0, 25);
    assertThat(registry.get(AgentMetrics.COMMITTED_OFFSET).tags("topic", "orders", "partition", "0").gauge().value())
        .isEqualTo(25);
    assertThat(registry.get(AgentMetrics.COMMITTED_OFFSET).tags("partition", "1").gauge().value()).isEqualTo(5);

    metrics.partitionsRevoked(agent, Set.of(p1));
    metrics.committed(agent, p1, 7); // the commit on revoke, heard after the revocation
    assertThat(registry.find(AgentMetrics.COMMITTED_OFFSET).tags("partition", "1").gauge()).isNull();

    metrics.partitionsAssigned(agent, Set.of(p1));
    metrics.committed(agent, p1, 9);
    assertThat(registry.get(AgentMetrics.COMMITTED_OFFSET).tags("partition", "1").gauge().value()).isEqualTo(9);

    stop();
    metrics.committed(agent, p0, 30); // after the agent stopped
    assertThat(registry.find(AgentMetrics.COMMITTED_OFFSET).gauges()).isEmpty();
  }

  @Test
  void addsTheGivenTagsToEveryMeter() {
    AgentListener tagged = AgentMetrics.listener(registry, List.of(Tag.of("application", "billing")));
    agent.state = AgentState.STARTING;
    tagged.stateChanged(agent, AgentState.NEW, AgentState.STARTING);
    tagged.received(agent, event("orders", 0));

    assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> assertThat(meter.getId().getTag("application"))
        .as("%s", meter.getId()).isEqualTo("billing"));
    assertThat(registry.getMeters()).extracting(Meter::getId).extracting(id -> id.getName()).allSatisfy(
        name -> assertThat(name).startsWith("asyncagent."));
  }

  @Test
  void refusesExtraTagsThatClashWithTheMetersOwn() {
    assertThatThrownBy(() -> AgentMetrics.listener(registry, List.of(Tag.of("topic", "x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tags must not use the meters' own tag names " + io.asyncagent.micrometer.internal.MeteredListener
            .OWN_TAGS + ", but had 'topic'");
  }

  @Test
  void oneListenerServesSeveralAgentsUnderTheirOwnNames() {
    StubAgent other = new StubAgent("refunds");
    metrics.received(agent, event("t", 0));
    metrics.received(other, event("t", 0));
    metrics.received(other, event("t", 1));

    assertThat(count(AgentMetrics.EVENTS_RECEIVED, "agent", "orders")).isEqualTo(1);
    assertThat(count(AgentMetrics.EVENTS_RECEIVED, "agent", "refunds")).isEqualTo(2);
  }
}
