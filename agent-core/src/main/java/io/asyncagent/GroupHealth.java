package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health of an {@link AgentGroup}: each agent's, and a KrakenD-shaped JSON document for a health
 * endpoint.
 */
public final class GroupHealth {
  private final Instant now;
  private final Map<String, AgentHealth> agents;

  /**
   * Creates a snapshot taken at {@code now}; groups create these, hosts read them.
   *
   * @param now when the snapshot was taken
   * @param agents each agent's health by name, in the group's order; copied
   * @throws NullPointerException if {@code now} or {@code agents} is null
   */
  public GroupHealth(Instant now, Map<String, AgentHealth> agents) {
    this.now = requireNonNull(now, "now");
    this.agents = Collections.unmodifiableMap(new LinkedHashMap<>(agents));
  }

  /** {@return when the snapshot was taken} */
  public Instant now() {
    return now;
  }

  /** {@return each agent's health by name, in the group's order} */
  public Map<String, AgentHealth> agents() {
    return agents;
  }

  /** {@return whether every agent is healthy} */
  public boolean isHealthy() {
    return agents.values().stream().allMatch(AgentHealth::isHealthy);
  }

  /**
   * Returns the document KrakenD's {@code /__health} serves, with its status made truthful:
   *
   * <pre>{@code
   * {"status":"ok","agents":{"stocks":"2026-11-26T23:59:58.120Z"},"now":"2026-11-26T23:59:59.001Z"}
   * }</pre>
   *
   * <p>{@code agents} maps each agent to the last time it reported itself alive ({@code null} if never).
   * KrakenD answers {@code "ok"} whatever its agents do; here {@code status} is {@code "unhealthy"} when an
   * agent is not healthy, and an extra {@code "unhealthy"} object then says why for each such agent.
   * Times are ISO-8601 instants in UTC (KrakenD prints Go's own time format).
   *
   * @return the document, compact JSON on one line
   */
  public String toJson() {
    StringBuilder json = new StringBuilder(64 + 64 * agents.size());
    json.append("{\"status\":").append(isHealthy() ? "\"ok\"" : "\"unhealthy\"").append(",\"agents\":{");
    boolean first = true;
    for (AgentHealth agent : agents.values()) {
      json.append(first ? "" : ",");
      string(json, agent.name()).append(':');
      if (agent.lastAlive().isPresent()) {
        string(json, agent.lastAlive().get().toString());
      } else {
        json.append("null");
      }
      first = false;
    }
    json.append("},\"now\":");
    string(json, now.toString());
    if (!isHealthy()) {
      json.append(",\"unhealthy\":{");
      first = true;
      for (AgentHealth agent : agents.values()) {
        if (!agent.isHealthy()) {
          json.append(first ? "" : ",");
          string(json, agent.name()).append(':');
          string(json, reason(agent));
          first = false;
        }
      }
      json.append('}');
    }
    return json.append('}').toString();
  }

  private static String reason(AgentHealth agent) {
    if (agent.state() == AgentState.FAILED) {
      return "FAILED: " + agent.failureCause().map(Throwable::getMessage).orElse("unknown cause");
    }
    if (agent.state() != AgentState.RUNNING) {
      return agent.state().name();
    }
    return "cannot reach its cluster";
  }

  private static StringBuilder string(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }

  @Override
  public String toString() {
    return toJson();
  }
}
