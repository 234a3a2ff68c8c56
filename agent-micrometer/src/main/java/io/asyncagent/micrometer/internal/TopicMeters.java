package io.asyncagent.micrometer.internal;

import io.asyncagent.DeliveryFailure;
import io.asyncagent.micrometer.AgentMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The counters and timers of one agent's events from one topic. */
final class TopicMeters {
  final Counter received;
  final Counter delivered;
  final Counter retried;
  final Counter deadLettered;
  final Timer succeededAttempts;
  final Timer failedAttempts;
  final Timer latency;
  private final MeterRegistry registry;
  private final Tags tags;
  private final Map<String, Counter> failed = new ConcurrentHashMap<>();

  TopicMeters(MeterRegistry registry, Tags agentTags, String topic) {
    this.registry = registry;
    this.tags = agentTags.and("topic", topic);
    this.received = counter(AgentMetrics.EVENTS_RECEIVED, "Events admitted into the agent's buffer");
    this.delivered = counter(AgentMetrics.EVENTS_DELIVERED, "Events every sink took");
    this.retried = counter(AgentMetrics.EVENTS_RETRIED, "Retries scheduled");
    this.deadLettered = counter(AgentMetrics.EVENTS_DEAD_LETTERED, "Events written to the dead-letter sink");
    this.succeededAttempts = attempts("success");
    this.failedAttempts = attempts("failure");
    this.latency = Timer.builder(AgentMetrics.EVENTS_LATENCY).tags(tags)
        .description("From a delivered event's timestamp to the moment every sink had it").register(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).tags(tags).description(description).register(registry);
  }

  private Timer attempts(String outcome) {
    return Timer.builder(AgentMetrics.DELIVERY_ATTEMPTS).tags(tags).tag("outcome", outcome)
        .description("Delivery attempts, from calling the sinks to the outcome").register(registry);
  }

  /** Returns the counter of failed attempts of {@code failure}'s reason and what follows. */
  Counter failed(DeliveryFailure failure) {
    String reason = reason(failure);
    String next = failure.next().name().toLowerCase(Locale.ROOT);
    String key = reason + '/' + next;
    Counter counter = failed.get(key);
    return counter != null ? counter : failed.computeIfAbsent(key, any -> Counter.builder(AgentMetrics.EVENTS_FAILED)
        .tags(tags).tag("reason", reason).tag("next", next)
        .description("Failed delivery attempts, by reason and what follows").register(registry));
  }

  /** The {@code reason} tag: the status class for a status, else the reason in lower case. */
  static String reason(DeliveryFailure failure) {
    if (failure.reason() == DeliveryFailure.Reason.STATUS && failure.status().isPresent()) {
      int status = failure.status().getAsInt();
      return status >= 100 && status <= 599 ? status / 100 + "xx" : "status";
    }
    return failure.reason().name().toLowerCase(Locale.ROOT);
  }
}
