package io.asyncagent.krakend;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.ConnectionPolicy;
import io.asyncagent.FailurePolicy;
import io.asyncagent.GoDuration;
import io.asyncagent.Ordering;
import io.asyncagent.spi.Driver;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One entry of a krakend.json's {@code async_agent} array, read and checked: everything an
 * {@link AsyncAgent} needs, and the recipes of its sinks. It holds no resource; each
 * {@link #newBuilder()} makes fresh sinks.
 *
 * <p>Immutable and thread-safe. Equality is identity: a definition holds sink recipes, which are behaviour.
 */
public final class AgentDefinition {
  private final String name;
  private final List<String> topics;
  private final String namespace;
  private final String driverSummary;
  private final Driver driver;
  private final List<Supplier<BackendSink>> sinks;
  private final int workers;
  private final Duration timeout;
  private final double maxRate;
  private final ConnectionPolicy connection;
  private final Ordering ordering;
  private final FailurePolicy onFailure;
  private final Integer bufferSize;
  private final Long maxBufferedBytes;
  private final Duration startTimeout;
  private final Duration drainTimeout;

  AgentDefinition(AgentParts parts) {
    this.name = parts.name;
    this.topics = List.copyOf(parts.topics);
    this.namespace = parts.namespace;
    this.driverSummary = parts.driverSummary;
    this.driver = parts.driver;
    this.sinks = List.copyOf(parts.sinks);
    this.workers = parts.workers;
    this.timeout = parts.timeout;
    this.maxRate = parts.maxRate;
    this.connection = parts.connection;
    this.ordering = parts.ordering;
    this.onFailure = parts.onFailure;
    this.bufferSize = parts.bufferSize;
    this.maxBufferedBytes = parts.maxBufferedBytes;
    this.startTimeout = parts.startTimeout;
    this.drainTimeout = parts.drainTimeout;
  }

  /** {@return the agent's {@code name}: unique in its file, never blank} */
  public String name() {
    return name;
  }

  /** {@return the topics of {@code consumer.topic}: at least one, no duplicates, in the order written} */
  public List<String> topics() {
    return topics;
  }

  /** {@return the {@code extra_config} namespace of the agent's driver, such as {@code async/kafka}} */
  public String namespace() {
    return namespace;
  }

  /** {@return the driver read from the agent's driver namespace; it holds no connection} */
  public Driver driver() {
    return driver;
  }

  /** {@return how many entries the agent's {@code backend} array has: how many sinks each agent built gets} */
  public int sinkCount() {
    return sinks.size();
  }

  /** {@return {@code consumer.workers}, raised to 1 when lower, as in KrakenD} */
  public int workers() {
    return workers;
  }

  /** {@return {@code consumer.timeout}, or else the file's root {@code timeout}, or else 2 s} */
  public Duration timeout() {
    return timeout;
  }

  /** {@return {@code consumer.max_rate} in events per second; 0 (also for a negative value) means no limit} */
  public double maxRate() {
    return maxRate;
  }

  /** {@return the {@code connection} block, with KrakenD's normalisations applied} */
  public ConnectionPolicy connection() {
    return connection;
  }

  /** {@return {@code extra_config.asyncagent.ordering}; {@link Ordering#UNORDERED}, KrakenD's, when absent} */
  public Ordering ordering() {
    return ordering;
  }

  /** {@return {@code extra_config.asyncagent.on_failure}; {@link FailurePolicy#skip()}, KrakenD's, when absent} */
  public FailurePolicy onFailure() {
    return onFailure;
  }

  /** {@return {@code extra_config.asyncagent.buffer_size}; empty when absent (the builder's default applies)} */
  public Optional<Integer> bufferSize() {
    return Optional.ofNullable(bufferSize);
  }

  /** {@return {@code extra_config.asyncagent.max_buffered_bytes}; empty when absent (the builder's default)} */
  public Optional<Long> maxBufferedBytes() {
    return Optional.ofNullable(maxBufferedBytes);
  }

  /** {@return {@code extra_config.asyncagent.start_timeout}; empty when absent (the builder's default)} */
  public Optional<Duration> startTimeout() {
    return Optional.ofNullable(startTimeout);
  }

  /** {@return {@code extra_config.asyncagent.drain_timeout}; empty when absent (the builder's default)} */
  public Optional<Duration> drainTimeout() {
    return Optional.ofNullable(drainTimeout);
  }

  /**
   * Returns a fresh builder with every setting of this definition made, and fresh sinks — each owns its
   * resources (an HTTP backend, its client) until the agent built closes them. A host may change it before
   * {@link AsyncAgent.Builder#build() build()}, to add a {@linkplain AsyncAgent.Builder#listener listener}
   * say. Building it cannot fail for configuration reasons: the file was checked when read.
   *
   * @return a new builder, with new sinks
   */
  public AsyncAgent.Builder newBuilder() {
    AsyncAgent.Builder builder = AsyncAgent.builder()
        .name(name)
        .topics(topics)
        .driver(driver)
        .workers(workers)
        .timeout(timeout)
        .maxRate(maxRate)
        .connection(connection)
        .ordering(ordering)
        .onFailure(onFailure);
    if (bufferSize != null) {
      builder.bufferSize(bufferSize);
    }
    if (maxBufferedBytes != null) {
      builder.maxBufferedBytes(maxBufferedBytes);
    }
    if (startTimeout != null) {
      builder.startTimeout(startTimeout);
    }
    if (drainTimeout != null) {
      builder.drainTimeout(drainTimeout);
    }
    freshSinks().forEach(builder::sink);
    return builder;
  }

  /** One sink of each recipe; if a recipe fails, those already made are closed. */
  private List<BackendSink> freshSinks() {
    List<BackendSink> made = new ArrayList<>();
    try {
      for (Supplier<BackendSink> sink : sinks) {
        made.add(sink.get());
      }
      return made;
    } catch (RuntimeException e) {
      for (BackendSink sink : made) {
        if (sink instanceof AutoCloseable closeable) {
          try {
            closeable.close();
          } catch (Exception suppressed) {
            e.addSuppressed(suppressed);
          }
        }
      }
      throw e;
    }
  }

  /**
   * Returns the definition on one line, for a {@code check} command or a start-up log:
   * {@code stocks: topics [stocks] via async/kafka (brokers localhost:9092, group my_group_id) -> 1 backend
   * (GET http://billing:8080/events); workers 20, timeout 150ms, max_rate 0.5/s}, followed by
   * {@code , ordering key} and {@code , on_failure retry (max_attempts 5)} when our namespace changes them from
   * KrakenD's behaviour. No secret is shown: a host's credentials print as {@code ****}.
   *
   * @return the summary, on one line
   */
  public String summary() {
    StringBuilder out = new StringBuilder()
        .append(name).append(": topics ").append(topics)
        .append(" via ").append(namespace).append(" (").append(driverSummary).append(") -> ")
        .append(sinks.size()).append(sinks.size() == 1 ? " backend (" : " backends (")
        .append(sinks.stream().map(Object::toString).collect(Collectors.joining(", ")))
        .append("); workers ").append(workers)
        .append(", timeout ").append(GoDuration.format(timeout))
        .append(", max_rate ").append(maxRate == 0 ? "unlimited" : rate(maxRate) + "/s");
    if (ordering != Ordering.UNORDERED) {
      out.append(", ordering ").append(ordering.name().toLowerCase(Locale.ROOT));
    }
    if (onFailure.retries()) {
      out.append(", on_failure retry (max_attempts ")
          .append(onFailure.maxAttempts() == 0 ? "unlimited" : Integer.toString(onFailure.maxAttempts()))
          .append(')');
    }
    return out.toString();
  }

  private static String rate(double rate) {
    return BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
  }

  /** Returns the {@link #summary()}. */
  @Override
  public String toString() {
    return summary();
  }
}
