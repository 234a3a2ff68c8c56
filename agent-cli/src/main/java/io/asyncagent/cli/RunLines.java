package io.asyncagent.cli;

import io.asyncagent.AgentHealth;
import io.asyncagent.AgentState;
import io.asyncagent.GoDuration;
import io.asyncagent.GroupHealth;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The lines {@code run} prints about its agents. Each starts with the agent's name in brackets, so that the lines
 * of several agents can be told apart and filtered:
 *
 * <pre>
 * [stocks] STARTING -&gt; RUNNING
 * [stocks] RUNNING, healthy; delivered 300 (60.0/s), failed 0; lag 0, buffered 0 events (0 B), 0 in flight;
 *     last delivery 1.2 s ago                                           (one line)
 * [stocks] connection lost (attempt 0): Timed out waiting for a node assignment; retrying in 1s
 * [orders] RUNNING -&gt; FAILED: 10 connection attempts failed
 * health {"status":"ok","agents":{"stocks":"2026-11-26T23:59:58.120Z"},"now":"2026-11-26T23:59:59.001Z"}
 * </pre>
 *
 * <p>And the lines about the run as a whole: {@link #serving}, {@link #stopped}.
 */
final class RunLines {

  private RunLines() {}

  /** {@code [name] FROM -> TO}, and the cause when the agent failed. */
  static String stateChanged(String agent, AgentState from, AgentState to, Optional<Throwable> failureCause) {
    String line = "[" + agent + "] " + from + " -> " + to;
    return to == AgentState.FAILED ? line + ": " + failureCause.map(RunLines::message).orElse("unknown cause") : line;
  }

  /** {@code [name] FAILED: cause}: a failed agent, in the summary at the end of a run. */
  static String failed(String agent, Optional<Throwable> failureCause) {
    return "[" + agent + "] FAILED: " + failureCause.map(RunLines::message).orElse("unknown cause");
  }

  /** {@code [name] connection lost (attempt N): cause; retrying in D}, or {@code ...; giving up}. */
  static String connectionLost(String agent, int attempt, Throwable cause, Optional<Duration> retryIn) {
    return "[" + agent + "] connection lost (attempt " + attempt + "): " + message(cause) + "; "
        + retryIn.map(wait -> "retrying in " + GoDuration.format(wait)).orElse("giving up");
  }

  /**
   * {@code [name] STATE, healthy|unhealthy; delivered N (R/s), failed N; lag N, buffered N events (N B), N in
   * flight; last delivery N s ago}. The lag is {@code ?} while the driver does not know it; the last delivery is
   * {@code none yet} before the first. {@code failed} counts failed delivery attempts, as
   * {@code asyncagent_events_failed_total} does; the rate is of deliveries since the agent's previous line.
   */
  static String progress(AgentHealth health, Instant now, DeliveryTally.Counts counts) {
    OptionalLong lag = health.lag();
    return "[" + health.name() + "] " + health.state() + ", " + (health.isHealthy() ? "healthy" : "unhealthy")
        + "; delivered " + counts.delivered() + " (" + String.format(Locale.ROOT, "%.1f", counts.perSecond())
        + "/s), failed " + counts.failed()
        + "; lag " + (lag.isPresent() ? Long.toString(lag.getAsLong()) : "?")
        + ", buffered " + Plural.of(health.bufferedEvents(), "event") + " (" + bytes(health.bufferedBytes()) + "), "
        + health.inFlightEvents() + " in flight"
        + "; last delivery " + health.lastDelivery().map(at -> ago(at, now)).orElse("none yet");
  }

  /**
   * {@code Stopped after 1.6 s: 1 STOPPED, 0 FAILED; 300 delivered, 0 failed}: the last line of a run, with how
   * many agents ended in each of {@code ended}'s states, in its order, and the deliveries and failed delivery
   * attempts of every agent.
   */
  static String stopped(Duration took, Map<AgentState, Integer> ended, long delivered, long failed) {
    StringBuilder line = new StringBuilder("Stopped after ").append(seconds(took)).append(':');
    String separator = " ";
    for (Map.Entry<AgentState, Integer> entry : ended.entrySet()) {
      line.append(separator).append(entry.getValue()).append(' ').append(entry.getKey());
      separator = ", ";
    }
    return line.append("; ").append(delivered).append(" delivered, ").append(failed).append(" failed").toString();
  }

  /** {@code Serving /__health and /metrics on http://0.0.0.0:8080}: where {@code run --port} listens. */
  static String serving(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return "Serving " + RunServer.HEALTH_PATH + " and " + RunServer.METRICS_PATH + " on http://"
        + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** {@code health } and the group's health document, as KrakenD's {@code /__health} serves it. */
  static String health(GroupHealth health) {
    return "health " + health.toJson();
  }

  /** {@code 512 B}, {@code 1.5 KiB}, {@code 32.0 MiB}. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  /** Seconds with one decimal, as every duration {@code run} measures itself is shown: {@code 1.2 s}. */
  static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", Math.max(0, duration.toMillis()) / 1000.0);
  }

  private static String ago(Instant at, Instant now) {
    return seconds(Duration.between(at, now)) + " ago";
  }

  private static String message(Throwable cause) {
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
  }
}
