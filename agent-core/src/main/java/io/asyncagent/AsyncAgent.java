package io.asyncagent;

import static java.util.Objects.requireNonNull;

import io.asyncagent.internal.DefaultAsyncAgent;
import io.asyncagent.spi.Driver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Consumes topics with no client request involved and pushes every event to one or more
 * {@link BackendSink}s — KrakenD's {@code async_agent}, inside the host's JVM.
 *
 * <pre>{@code
 * try (AsyncAgent agent = AsyncAgent.builder()
 *     .name("stocks")
 *     .topics("stocks")
 *     .driver(KafkaDriver.builder()
 *         .cluster(Cluster.builder().brokers("localhost:9092").build())
 *         .group(Group.builder().id("stocks-agent").build())
 *         .build())
 *     .sink(HttpBackend.builder().host("http://billing:8080").urlPattern("/events").build())
 *     .build()) {
 *   agent.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>An event's offset is committed only after its pipeline has completed — delivered, or failed and
 * given up on — and only as part of a contiguous prefix, so a crash re-delivers events rather than
 * losing them (at-least-once). See docs/semantics.md.
 *
 * <p>Thread-safe. {@link #start()} once; {@link #close()} any number of times. An agent is not
 * restartable: after {@link AgentState#STOPPED} or {@link AgentState#FAILED}, build a new one.
 */
public interface AsyncAgent extends AutoCloseable {

  /** KrakenD's default {@code consumer.timeout}: {@value #DEFAULT_TIMEOUT_MILLIS} ms. */
  long DEFAULT_TIMEOUT_MILLIS = 2_000;

  /** The default cap on the bytes of admitted events: {@value #DEFAULT_MAX_BUFFERED_BYTES} (32 MiB). */
  long DEFAULT_MAX_BUFFERED_BYTES = 32L * 1024 * 1024;

  /** {@return a builder with KrakenD's defaults} */
  static Builder builder() {
    return new Builder();
  }

  /** {@return the agent's name, as configured} */
  String name();

  /** {@return the current lifecycle state} */
  AgentState state();

  /** {@return why the agent {@link AgentState#FAILED}, or empty if it has not} */
  Optional<Throwable> failureCause();

  /** {@return a snapshot of the agent's health} Cheap; safe to call from a health endpoint. */
  AgentHealth health();

  /**
   * Connects and starts consuming; returns once the agent is {@link AgentState#RUNNING}: subscribed,
   * with its start positions fixed, so every event published after this returns is delivered.
   *
   * @throws IllegalStateException if the agent was started or closed before
   * @throws AgentException if the agent failed to start or did not become ready within
   *     {@link Builder#startTimeout(Duration) startTimeout}; it is then {@link AgentState#FAILED} and its
   *     resources are released
   */
  void start();

  /**
   * Stops the agent, waiting up to the builder's {@link Builder#drainTimeout(Duration) drainTimeout}
   * for events in flight. Equivalent to {@code close(drainTimeout)}.
   */
  @Override
  void close();

  /**
   * Stops the agent: stops reading, waits up to {@code grace} for events already taken in to be
   * delivered, commits what completed, and disconnects. Events not completed within {@code grace} are
   * not committed and are delivered again by the next consumer of the group.
   *
   * <p>Idempotent: a second call waits for the first to finish. Never throws for problems met while
   * closing; they are logged.
   *
   * @param grace how long to wait for events in flight; {@link Duration#ZERO} waits for none
   * @throws IllegalArgumentException if {@code grace} is negative
   */
  void close(Duration grace);

  /**
   * Configures and builds an {@link AsyncAgent}. Each setter checks its value at once and names it in
   * the message; {@link #build()} checks the whole and reports every problem together.
   */
  final class Builder {
    private String name;
    private final List<String> topics = new ArrayList<>();
    private int workers = 1;
    private Duration timeout = Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS);
    private int bufferSize = 256;
    private Driver driver;
    private final List<BackendSink> sinks = new ArrayList<>();
    private Duration startTimeout = Duration.ofSeconds(30);
    private Duration drainTimeout = Duration.ofSeconds(30);
    private double maxRate;
    private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
    private ConnectionPolicy connection = ConnectionPolicy.defaults();
    private AgentListener listener = AgentListener.NONE;
    private Ordering ordering = Ordering.UNORDERED;
    private FailurePolicy onFailure = FailurePolicy.skip();

    private Builder() {}

    /**
     * Sets the agent's name (KrakenD's {@code name}), used in logs, thread names and health. Required.
     *
     * @param name the agent's name; not blank
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws NullPointerException if {@code name} is null
     */
    public Builder name(String name) {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, but was '" + name + "'");
      }
      this.name = name;
      return this;
    }

    /**
     * Sets the topics to consume (KrakenD's {@code consumer.topic}); replaces any set before. Required.
     *
     * @param topics the topics, at least one; none blank, none repeated
     * @return this builder
     * @throws IllegalArgumentException if there are none, one is blank, or one appears twice
     * @throws NullPointerException if {@code topics} or one of them is null
     */
    public Builder topics(String... topics) {
      requireNonNull(topics, "topics");
      return topics(List.of(topics));
    }

    /**
     * Sets the topics to consume (KrakenD's {@code consumer.topic}); replaces any set before. Required.
     *
     * @param topics the topics, at least one; none blank, none repeated
     * @return this builder
     * @throws IllegalArgumentException if there are none, one is blank, or one appears twice
     * @throws NullPointerException if {@code topics} or one of them is null
     */
    public Builder topics(List<String> topics) {
      requireNonNull(topics, "topics");
      if (topics.isEmpty()) {
        throw new IllegalArgumentException("topics must name at least one topic, but was empty");
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < topics.size(); i++) {
        String topic = requireNonNull(topics.get(i), "topics[" + i + "]");
        if (topic.isBlank()) {
          throw new IllegalArgumentException("topics[" + i + "] must not be blank, but was '" + topic + "'");
        }
        if (!seen.add(topic)) {
          throw new IllegalArgumentException("topics must not repeat a topic, but '" + topic + "' appears twice");
        }
      }
      this.topics.clear();
      this.topics.addAll(topics);
      return this;
    }

    /**
     * Sets how many events are delivered at once (KrakenD's {@code consumer.workers}). Default 1:
     * one at a time, in the order read.
     *
     * @param workers how many deliveries may be in flight at once, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1, but was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * Sets how long one event's delivery to all sinks may take (KrakenD's {@code consumer.timeout}).
     * A delivery still running then fails with a {@link DeliveryTimeoutException}. Default 2 s.
     *
     * @param timeout the time limit of one event's delivery, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws NullPointerException if {@code timeout} is null
     */
    public Builder timeout(Duration timeout) {
      this.timeout = GoDuration.requirePositive("timeout", timeout);
      return this;
    }

    /**
     * Sets how many events may wait for a worker beyond the {@code workers} in flight (KrakenD's
     * {@code channel_buffer_size}). When the buffer is full the driver stops reading until there is
     * room. Default 256.
     *
     * @param bufferSize how many events may wait for a worker, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code bufferSize < 0}
     */
    public Builder bufferSize(int bufferSize) {
      if (bufferSize < 0) {
        throw new IllegalArgumentException("bufferSize must be >= 0, but was " + bufferSize);
      }
      this.bufferSize = bufferSize;
      return this;
    }

    /**
     * Caps how many events per second the agent starts delivering (KrakenD's {@code consumer.max_rate}),
     * across all its workers: one token bucket per agent, holding {@code max(1, floor(maxRate))} tokens,
     * full at start, refilled at {@code maxRate} per second. An event waits for a token before it takes a
     * worker. Rates below 1 work ({@code 0.5} is one event every 2 s). Default 0: no limit.
     *
     * @param maxRate events per second, finite and {@code >= 0}; 0 for no limit
     * @return this builder
     * @throws IllegalArgumentException if it is negative, infinite or NaN
     */
    public Builder maxRate(double maxRate) {
      if (!(maxRate >= 0) || Double.isInfinite(maxRate)) {
        throw new IllegalArgumentException("maxRate must be a finite number >= 0, but was " + maxRate);
      }
      this.maxRate = maxRate;
      return this;
    }

    /**
     * Caps the bytes (bodies, keys and headers) of events admitted and not yet processed. When the cap or
     * the count ({@code workers + bufferSize}) is reached, the driver pauses its partitions. One event
     * larger than the cap is still admitted when nothing else is, so it cannot stall the agent. Default
     * 32 MiB.
     *
     * @param maxBufferedBytes the most bytes of admitted events, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if it is below 1
     */
    public Builder maxBufferedBytes(long maxBufferedBytes) {
      if (maxBufferedBytes < 1) {
        throw new IllegalArgumentException("maxBufferedBytes must be >= 1, but was " + maxBufferedBytes);
      }
      this.maxBufferedBytes = maxBufferedBytes;
      return this;
    }

    /**
     * Sets what the agent does when its connection is lost (KrakenD's {@code connection}). Default
     * {@link ConnectionPolicy#defaults()}: unlimited retries, {@code fallback} backoff capped at 60 s, a 1 s
     * health interval.
     *
     * @param connection the connection policy
     * @return this builder
     * @throws NullPointerException if {@code connection} is null
     */
    public Builder connection(ConnectionPolicy connection) {
      this.connection = requireNonNull(connection, "connection");
      return this;
    }

    /**
     * Changes the connection policy in place, starting from the current one:
     * {@code .connection(c -> c.maxRetries(10).backoff(BackoffStrategy.EXPONENTIAL_JITTER))}.
     *
     * @param changes what to change, applied to a builder of the current policy
     * @return this builder
     * @throws NullPointerException if {@code changes} is null
     * @throws IllegalArgumentException if {@code changes} sets a value its setter rejects
     */
    public Builder connection(Consumer<ConnectionPolicy.Builder> changes) {
      requireNonNull(changes, "changes");
      ConnectionPolicy.Builder builder = connection.toBuilder();
      changes.accept(builder);
      this.connection = builder.build();
      return this;
    }

    /**
     * Sets which events are kept in order: {@link Ordering#KEY} delivers each key's events one at a time in
     * offset order while other keys go in parallel. Default {@link Ordering#UNORDERED}, KrakenD's
     * behaviour.
     *
     * @param ordering which events are kept in order
     * @return this builder
     * @throws NullPointerException if {@code ordering} is null
     */
    public Builder ordering(Ordering ordering) {
      this.ordering = requireNonNull(ordering, "ordering");
      return this;
    }

    /**
     * Sets what happens to an event whose delivery failed: {@link FailurePolicy#skip()}, KrakenD's
     * behaviour and the default, or {@link FailurePolicy#retry()} with dead letters.
     *
     * @param onFailure the failure policy
     * @return this builder
     * @throws NullPointerException if {@code onFailure} is null
     */
    public Builder onFailure(FailurePolicy onFailure) {
      this.onFailure = requireNonNull(onFailure, "onFailure");
      return this;
    }

    /**
     * Sets the listener that hears the agent's state changes, connections and partitions, each event's
     * arrival, delivery attempts, retries and dead letter, and the driver's commits — metrics
     * (agent-micrometer's {@code AgentMetrics.listener(registry)}) plug in here. Several combine with
     * {@link AgentListener#composite(AgentListener...)}. Default {@link AgentListener#NONE}.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder listener(AgentListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets the driver that reads the topics, such as {@code KafkaDriver}. Required.
     *
     * @param driver the driver
     * @return this builder
     * @throws NullPointerException if {@code driver} is null
     */
    public Builder driver(Driver driver) {
      this.driver = requireNonNull(driver, "driver");
      return this;
    }

    /**
     * Adds a sink (KrakenD's {@code backend}). At least one is required; with several, an event
     * succeeds only when every sink has it.
     *
     * @param sink a sink, added after those added before
     * @return this builder
     * @throws NullPointerException if {@code sink} is null
     */
    public Builder sink(BackendSink sink) {
      sinks.add(requireNonNull(sink, "sink"));
      return this;
    }

    /**
     * Sets how long {@link AsyncAgent#start()} waits for the agent to become ready. Default 30 s.
     *
     * @param startTimeout how long {@code start()} may take, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code startTimeout} is zero or negative
     * @throws NullPointerException if {@code startTimeout} is null
     */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = GoDuration.requirePositive("startTimeout", startTimeout);
      return this;
    }

    /**
     * Sets how long {@link AsyncAgent#close()} waits for events in flight. Default 30 s.
     *
     * @param drainTimeout how long {@code close()} waits for events in flight, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code drainTimeout} is negative
     * @throws NullPointerException if {@code drainTimeout} is null
     */
    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = GoDuration.requireNonNegative("drainTimeout", drainTimeout);
      return this;
    }

    /**
     * Builds the agent, in state {@link AgentState#NEW}.
     *
     * @return a new agent, not started
     * @throws InvalidConfigException listing every missing or inconsistent setting
     */
    public AsyncAgent build() {
      List<Violation> violations = new ArrayList<>();
      if (name == null) {
        violations.add(new Violation("name", "is required"));
      }
      if (topics.isEmpty()) {
        violations.add(new Violation("topics", "at least one topic is required"));
      }
      if (driver == null) {
        violations.add(new Violation("driver", "is required"));
      } else {
        for (int i = 0; i < topics.size(); i++) {
          int index = i;
          driver.checkTopic(topics.get(i))
              .ifPresent(problem -> violations.add(new Violation("topics[" + index + "]", problem)));
        }
      }
      if (sinks.isEmpty()) {
        violations.add(new Violation("sinks", "at least one sink is required"));
      }
      if (!violations.isEmpty()) {
        throw new InvalidConfigException(name == null ? "agent" : "agent '" + name + "'", violations);
      }
      return new DefaultAsyncAgent(new DefaultAsyncAgent.Settings(name, topics, workers, timeout, bufferSize,
          maxBufferedBytes, maxRate, ordering, onFailure, driver, sinks, connection, listener, startTimeout,
          drainTimeout));
    }

  }
}
