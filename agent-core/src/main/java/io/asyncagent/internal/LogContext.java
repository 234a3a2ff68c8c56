package io.asyncagent.internal;

import io.asyncagent.Coordinates;
import io.asyncagent.Event;
import org.slf4j.MDC;

/*
 * Deliveries complete on threads that are not the agent's (an HTTP client's I/O threads, a producer's), and
 * one thread serves many agents and events: so the keys are set around each line, on the thread that writes
 * it, and what the thread had before is put back afterwards. Only the failure and TRACE paths pay for it.
 */
/**
 * The SLF4J MDC keys of the agent's log lines — {@code agent}, and for a line about one event {@code topic},
 * {@code partition} and {@code offset} — set for the lines written before {@link #restore()}, which a
 * {@code finally} block calls.
 */
final class LogContext {
  static final String AGENT = "agent";
  static final String TOPIC = "topic";
  static final String PARTITION = "partition";
  static final String OFFSET = "offset";
  private static final String[] KEYS = {AGENT, TOPIC, PARTITION, OFFSET};
  private static final int MAX_PAYLOAD_CHARS = 1_000;

  private final int count;
  private final String[] previous = new String[KEYS.length];

  private LogContext(String... values) {
    this.count = values.length;
    for (int i = 0; i < count; i++) {
      previous[i] = MDC.get(KEYS[i]);
      MDC.put(KEYS[i], values[i]);
    }
  }

  /** Sets {@code agent} for a lifecycle line; the other keys are left as they are. */
  static LogContext agent(String agentName) {
    return new LogContext(agentName);
  }

  /** Sets {@code agent}, {@code topic}, {@code partition} and {@code offset} for a line about one event. */
  static LogContext event(String agentName, Coordinates coordinates) {
    return new LogContext(agentName, coordinates.topic(), Integer.toString(coordinates.partition()),
        Long.toString(coordinates.offset()));
  }

  /** Puts back what the thread had under the keys this context set. */
  void restore() {
    for (int i = 0; i < count; i++) {
      if (previous[i] == null) {
        MDC.remove(KEYS[i]);
      } else {
        MDC.put(KEYS[i], previous[i]);
      }
    }
  }

  /**
   * Returns what a TRACE line shows of an event: its key and body as UTF-8, each cut at 1,000 characters.
   * Never header values, which may carry credentials.
   */
  static String payload(Event event) {
    return "key " + event.keyAsString().map(LogContext::cut).orElse("(none)") + ", body " + cut(event.bodyAsString());
  }

  private static String cut(String text) {
    return text.length() <= MAX_PAYLOAD_CHARS ? "'" + text + "'"
        : "'" + text.substring(0, MAX_PAYLOAD_CHARS) + "'… (" + text.length() + " characters)";
  }
}
