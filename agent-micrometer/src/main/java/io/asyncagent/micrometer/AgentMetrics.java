package io.asyncagent.micrometer;

import static java.util.Objects.requireNonNull;

import io.asyncagent.AgentListener;
import io.asyncagent.micrometer.internal.MeteredListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Micrometer meters for agents, fed by an {@link AgentListener}: give the listener to the agents to measure.
 *
 * <pre>{@code
 * MeterRegistry registry = ...;                       // Prometheus, OTLP, Datadog...
 * AgentListener metrics = AgentMetrics.listener(registry);
 * AsyncAgent agent = AsyncAgent.builder()
 *     .name("stocks")
 *     .listener(metrics)                              // or AgentListener.composite(metrics, yours)
 *     ...
 *     .build();
 * }</pre>
 *
 * <p>One listener serves any number of agents; each meter is tagged {@code agent} with the agent's name. An
 * agent's gauges are registered when it starts and removed when it stops or fails, so a new agent of the
 * same name can take them over; its counters and timers stay, and go on counting if one does.
 *
 * <h2>Meters</h2>
 *
 * Every meter carries the tag {@code agent}, and the tags given to {@link #listener(MeterRegistry, Iterable)}.
 * Counters and timers also carry {@code topic}; partitions and keys are not tags of them, to keep the number
 * of time series bounded.
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>name</th><th>type</th><th>more tags</th><th>what</th></tr>
 *   <tr><td>{@value #EVENTS_RECEIVED}</td><td>counter</td><td>topic</td><td>events admitted into the agent's
 *       buffer</td></tr>
 *   <tr><td>{@value #EVENTS_DELIVERED}</td><td>counter</td><td>topic</td><td>events every sink took</td></tr>
 *   <tr><td>{@value #EVENTS_FAILED}</td><td>counter</td><td>topic, reason, next</td><td>failed delivery
 *       <em>attempts</em>: an event that fails twice and then succeeds counts 2 here and 1 in
 *       {@value #EVENTS_DELIVERED}. {@code reason}: {@code timeout}, the status class ({@code 4xx},
 *       {@code 5xx}...), {@code connection}, {@code rejected} or {@code exception} (see
 *       {@link io.asyncagent.DeliveryFailure.Reason}); {@code next}: {@code retry}, {@code dead_letter},
 *       {@code skip} or {@code drop}</td></tr>
 *   <tr><td>{@value #EVENTS_RETRIED}</td><td>counter</td><td>topic</td><td>retries scheduled</td></tr>
 *   <tr><td>{@value #EVENTS_DEAD_LETTERED}</td><td>counter</td><td>topic</td><td>events written to the
 *       dead-letter sink</td></tr>
 *   <tr><td>{@value #DELIVERY_ATTEMPTS}</td><td>timer</td><td>topic, outcome</td><td>each delivery attempt,
 *       from calling the sinks to the outcome; {@code outcome}: {@code success} or {@code failure}</td></tr>
 *   <tr><td>{@value #EVENTS_LATENCY}</td><td>timer</td><td>topic</td><td>per delivered event, from its
 *       timestamp (Kafka's record timestamp) to the moment every sink had it: end-to-end latency</td></tr>
 *   <tr><td>{@value #IN_FLIGHT_EVENTS}</td><td>gauge, events</td><td></td><td>events with a delivery attempt
 *       in flight</td></tr>
 *   <tr><td>{@value #BUFFERED_EVENTS}</td><td>gauge, events</td><td></td><td>events admitted and not done:
 *       waiting, in flight or waiting for a retry</td></tr>
 *   <tr><td>{@value #BUFFERED_BYTES}</td><td>gauge, bytes</td><td></td><td>the bytes of those events</td></tr>
 *   <tr><td>{@value #CONSUMER_LAG}</td><td>gauge, records</td><td></td><td>records in the agent's partitions
 *       beyond what it has read, summed; NaN while unknown</td></tr>
 *   <tr><td>{@value #COMMITTED_OFFSET}</td><td>gauge</td><td>topic, partition</td><td>the last offset
 *       committed for a partition the agent owns (the next to read); removed when the partition is revoked
 *       or lost</td></tr>
 * </table>
 *
 * <p>Timers publish no histogram or percentiles by default; turn them on with a {@code MeterFilter}. Prometheus
 * renders the names with underscores: {@code asyncagent_events_delivered_total},
 * {@code asyncagent_delivery_attempts_seconds_count}, {@code asyncagent_buffered_bytes}.
 */
public final class AgentMetrics {
  /** Counter of events admitted into an agent's buffer. */
  public static final String EVENTS_RECEIVED = "asyncagent.events.received";
  /** Counter of events every sink took. */
  public static final String EVENTS_DELIVERED = "asyncagent.events.delivered";
  /** Counter of failed delivery attempts, tagged {@code reason} and {@code next}. */
  public static final String EVENTS_FAILED = "asyncagent.events.failed";
  /** Counter of retries scheduled. */
  public static final String EVENTS_RETRIED = "asyncagent.events.retried";
  /** Counter of events written to the dead-letter sink. */
  public static final String EVENTS_DEAD_LETTERED = "asyncagent.events.dead.lettered";
  /** Timer of delivery attempts, tagged {@code outcome}. */
  public static final String DELIVERY_ATTEMPTS = "asyncagent.delivery.attempts";
  /** Timer of delivered events' end-to-end latency, from their timestamp. */
  public static final String EVENTS_LATENCY = "asyncagent.events.latency";
  /** Gauge of events with a delivery attempt in flight. */
  public static final String IN_FLIGHT_EVENTS = "asyncagent.in.flight.events";
  /** Gauge of events admitted and not done. */
  public static final String BUFFERED_EVENTS = "asyncagent.buffered.events";
  /** Gauge of the bytes of events admitted and not done. */
  public static final String BUFFERED_BYTES = "asyncagent.buffered.bytes";
  /** Gauge of the consumer lag, summed over the agent's partitions. */
  public static final String CONSUMER_LAG = "asyncagent.consumer.lag";
  /** Gauge of the last committed offset of each partition the agent owns. */
  public static final String COMMITTED_OFFSET = "asyncagent.committed.offset";

  private AgentMetrics() {}

  /**
   * Returns a listener that records the meters of every agent it is given to in {@code registry}. Use one per
   * registry: two would share the gauges of an agent and remove them twice.
   *
   * @param registry where the meters go
   * @return a listener to give to {@link io.asyncagent.AsyncAgent.Builder#listener}
   * @throws NullPointerException if {@code registry} is null
   */
  public static AgentListener listener(MeterRegistry registry) {
    return listener(registry, List.of());
  }

  /**
   * Returns a listener that records the meters of every agent it is given to in {@code registry}, each meter
   * also tagged with {@code tags} (an application name, say). Use one per registry.
   *
   * @param registry where the meters go
   * @param tags tags added to every meter; may be empty
   * @return a listener to give to {@link io.asyncagent.AsyncAgent.Builder#listener}
   * @throws NullPointerException if an argument or one of the tags is null
   * @throws IllegalArgumentException if a tag is named {@code agent}, {@code topic}, {@code partition},
   *     {@code reason}, {@code next} or {@code outcome}: the meters' own
   */
  public static AgentListener listener(MeterRegistry registry, Iterable<Tag> tags) {
    requireNonNull(registry, "registry");
    requireNonNull(tags, "tags");
    Tags common = Tags.empty();
    for (Tag tag : tags) {
      requireNonNull(tag, "tag");
      if (MeteredListener.OWN_TAGS.contains(tag.getKey())) {
        throw new IllegalArgumentException("tags must not use the meters' own tag names " + MeteredListener.OWN_TAGS
            + ", but had '" + tag.getKey() + "'");
      }
      common = common.and(tag);
    }
    return new MeteredListener(registry, common);
  }
}
