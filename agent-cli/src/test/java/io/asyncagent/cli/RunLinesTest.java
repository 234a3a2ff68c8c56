package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentHealth;
import io.asyncagent.AgentState;
import io.asyncagent.GroupHealth;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

final class RunLinesTest {
  private static final Instant NOW = Instant.parse("2026-11-26T23:59:59.001Z");

  @Test
  void aStateChangeNamesTheAgentAndBothStates() {
    assertThat(RunLines.stateChanged("stocks", AgentState.STARTING, AgentState.RUNNING, Optional.empty()))
        .isEqualTo("[stocks] STARTING -> RUNNING");
  }

  @Test
  void aFailureSaysWhy() {
    assertThat(RunLines.stateChanged("orders", AgentState.RUNNING, AgentState.FAILED,
        Optional.of(new IllegalStateException("10 connection attempts failed"))))
        .isEqualTo("[orders] RUNNING -> FAILED: 10 connection attempts failed");
  }

  @Test
  void aFailureWithoutAMessageNamesTheExceptionClass() {
    assertThat(RunLines.stateChanged("orders", AgentState.STARTING, AgentState.FAILED,
        Optional.of(new IllegalStateException())))
        .isEqualTo("[orders] STARTING -> FAILED: java.lang.IllegalStateException");
  }

  @Test
  void aFailedAgentInTheSummarySaysWhy() {
    assertThat(RunLines.failed("orders", Optional.of(new IllegalStateException("no broker"))))
        .isEqualTo("[orders] FAILED: no broker");
    assertThat(RunLines.failed("orders", Optional.empty())).isEqualTo("[orders] FAILED: unknown cause");
  }

  @Test
  void aLostConnectionSaysWhenTheNextAttemptComesOrThatTheAgentGivesUp() {
    IllegalStateException cause = new IllegalStateException("broker unreachable");

    assertThat(RunLines.connectionLost("stocks", 2, cause, Optional.of(Duration.ofMillis(1500))))
        .isEqualTo("[stocks] connection lost (attempt 2): broker unreachable; retrying in 1.5s");
    assertThat(RunLines.connectionLost("stocks", 9, cause, Optional.empty()))
        .isEqualTo("[stocks] connection lost (attempt 9): broker unreachable; giving up");
  }

  @Test
  void progressShowsStateHealthDeliveriesLagBufferAndTheLastDelivery() {
    AgentHealth health = new AgentHealth("stocks", AgentState.RUNNING, true, Optional.of(NOW),
        Optional.of(NOW), Optional.of(NOW.minusMillis(1234)), OptionalLong.of(42), 2, 3, 1536, Optional.empty());

    assertThat(RunLines.progress(health, NOW, new DeliveryTally.Counts(300, 7, 59.96)))
        .isEqualTo("[stocks] RUNNING, healthy; delivered 300 (60.0/s), failed 7; lag 42, buffered 3 events"
            + " (1.5 KiB), 2 in flight; last delivery 1.2 s ago");
  }

  @Test
  void progressBeforeAnythingIsKnownSaysSo() {
    AgentHealth health = new AgentHealth("stocks", AgentState.STARTING, false, Optional.empty(),
        Optional.empty(), Optional.empty(), OptionalLong.empty(), 1, 0, Optional.empty());

    assertThat(RunLines.progress(health, NOW, new DeliveryTally.Counts(0, 0, 0)))
        .isEqualTo("[stocks] STARTING, unhealthy; delivered 0 (0.0/s), failed 0; lag ?, buffered 1 event (0 B),"
            + " 0 in flight; last delivery none yet");
  }

  @Test
  void theSummaryCountsTheAgentsByEndStateThenTheDeliveriesAndFailures() {
    Map<AgentState, Integer> ended = new EnumMap<>(AgentState.class);
    ended.put(AgentState.STOPPED, 1);
    ended.put(AgentState.FAILED, 0);

    assertThat(RunLines.stopped(Duration.ofMillis(1_640), ended, 300, 0))
        .isEqualTo("Stopped after 1.6 s: 1 STOPPED, 0 FAILED; 300 delivered, 0 failed");
  }

  @Test
  void theServingLineGivesTheUrlWithThePortListenedOn() throws Exception {
    assertThat(RunLines.serving(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 8080)))
        .isEqualTo("Serving /__health and /metrics on http://0.0.0.0:8080");
    assertThat(RunLines.serving(new InetSocketAddress(InetAddress.getByName("::1"), 9090)))
        .isEqualTo("Serving /__health and /metrics on http://[0:0:0:0:0:0:0:1]:9090");
  }

  @Test
  void bytesAreShownInTheLargestUnitBelowTheValue() {
    assertThat(RunLines.bytes(0)).isEqualTo("0 B");
    assertThat(RunLines.bytes(1023)).isEqualTo("1023 B");
    assertThat(RunLines.bytes(1024)).isEqualTo("1.0 KiB");
    assertThat(RunLines.bytes(32L * 1024 * 1024)).isEqualTo("32.0 MiB");
  }

  @Test
  void theHealthLineIsTheKrakendDocument() {
    GroupHealth health = new GroupHealth(NOW, Map.of("stocks", new AgentHealth("stocks", AgentState.RUNNING, true,
        Optional.of(NOW), Optional.empty(), Optional.empty(), OptionalLong.empty(), 0, 0, Optional.empty())));

    assertThat(RunLines.health(health)).isEqualTo("health {\"status\":\"ok\",\"agents\":{\"stocks\":"
        + "\"2026-11-26T23:59:59.001Z\"},\"now\":\"2026-11-26T23:59:59.001Z\"}");
  }
}
