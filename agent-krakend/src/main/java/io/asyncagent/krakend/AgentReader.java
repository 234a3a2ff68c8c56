package io.asyncagent.krakend;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.BackoffStrategy;
import io.asyncagent.ConnectionPolicy;
import io.asyncagent.GoDuration;
import io.asyncagent.spi.ConfigNode;
import io.asyncagent.spi.SinkFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads one entry of {@code async_agent}: {@code name}, {@code connection}, {@code consumer},
 * {@code encoding}, {@code backend} and {@code extra_config}, with KrakenD's defaults and normalisations.
 */
final class AgentReader {
  static final List<String> AGENT_FIELDS = List.of("backend", "connection", "consumer", "encoding", "extra_config",
      "name");
  static final List<String> CONNECTION_FIELDS = List.of("backoff_strategy", "health_interval", "max_retries");
  static final List<String> CONSUMER_FIELDS = List.of("max_rate", "timeout", "topic", "workers");
  /** KrakenD's encodings; {@code fast-json} and {@code yaml} are its Enterprise ones. */
  static final List<String> ENCODINGS = List.of("json", "safejson", "fast-json", "xml", "rss", "string", "no-op",
      "yaml");
  private static final Duration MIN_HEALTH_INTERVAL = Duration.ofSeconds(1);

  private final Factories factories;
  private final Duration rootTimeout;
  private final List<String> rootHosts;

  AgentReader(Factories factories, Duration rootTimeout, List<String> rootHosts) {
    this.factories = factories;
    this.rootTimeout = rootTimeout;
    this.rootHosts = List.copyOf(rootHosts);
  }

  /**
   * Reads {@code agent}, the entry at {@code index}; empty when it has a problem, each reported. The fields
   * are read name first, then as an agent uses them — connection, consumer, encoding, backend, extra_config —
   * which is the order of the problems found at one position (missing fields, at the start of the entry).
   */
  Optional<AgentDefinition> read(ConfigNode agent, int index) {
    int before = agent.problemCount();
    agent.rejectUnknown(AGENT_FIELDS);
    AgentParts parts = new AgentParts();
    parts.name = name(agent).orElse(String.format(Locale.ROOT, "AsyncAgent-%02d", index));
    parts.timeout = rootTimeout;
    agent.object("connection").ifPresent(connection -> parts.connection = connection(connection));
    Optional<ConfigNode> consumer = required(agent, "consumer");
    List<TopicAt> topics = consumer.map(c -> consumer(c, parts)).orElse(List.of());
    agent.convert("encoding", agent.string("encoding"), AgentReader::encoding);
    backends(agent, parts);
    required(agent, "extra_config")
        .ifPresent(extra -> new ExtraConfigReader(factories).read(extra, parts));
    if (parts.driver != null) {
      for (TopicAt topic : topics) {
        parts.driver.checkTopic(topic.name).ifPresent(problem -> topic.report(problem));
      }
    }
    return agent.problemCount() > before ? Optional.empty() : Optional.of(new AgentDefinition(parts));
  }

  /** Returns the name, when it is a non-blank string; reports it otherwise. */
  static Optional<String> name(ConfigNode agent) {
    if (!agent.has("name")) {
      agent.report("name", "is required");
      return Optional.empty();
    }
    Optional<String> name = agent.string("name");
    if (name.isPresent() && name.get().isBlank()) {
      agent.report("name", "must not be blank, but was " + ConfigNode.describe(name.get()));
      return Optional.empty();
    }
    return name;
  }

  private static ConnectionPolicy connection(ConfigNode connection) {
    connection.rejectUnknown(CONNECTION_FIELDS);
    ConnectionPolicy.Builder policy = ConnectionPolicy.builder();
    // KrakenD: max_retries <= 0 means no limit.
    connection.integer("max_retries").ifPresent(retries -> policy.maxRetries(Math.max(0, retries)));
    connection.convert("backoff_strategy", connection.string("backoff_strategy"), AgentReader::backoff)
        .ifPresent(policy::backoff);
    // KrakenD: anything below 1s is 1s.
    connection.convert("health_interval", connection.duration("health_interval"),
            interval -> GoDuration.requireNonNegative("health_interval", interval))
        .map(interval -> interval.compareTo(MIN_HEALTH_INTERVAL) < 0 ? MIN_HEALTH_INTERVAL : interval)
        .ifPresent(policy::healthInterval);
    return policy.build();
  }

  /** KrakenD reads the name ignoring case; an unknown one is rejected here, where KrakenD waits 1 s. */
  static BackoffStrategy backoff(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(BackoffStrategy.values())
        .filter(strategy -> strategy.krakendName().equals(lower))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("must be one of " + Arrays.stream(BackoffStrategy.values())
            .map(BackoffStrategy::krakendName).collect(Collectors.joining(", ")) + ", but was \"" + name + "\""));
  }

  private static List<TopicAt> consumer(ConfigNode consumer, AgentParts parts) {
    consumer.rejectUnknown(CONSUMER_FIELDS);
    // Blank and repeated topics are reported and left out; the driver checks the others.
    List<TopicAt> topics = topics(consumer);
    parts.topics = topics.stream().map(topic -> topic.name).collect(Collectors.toList());
    // KrakenD: fewer than 1 worker means 1.
    consumer.integer("workers").ifPresent(workers -> parts.workers = Math.max(1, workers));
    // KrakenD: an unset or zero timeout is the root's.
    consumer.convert("timeout", consumer.duration("timeout"), t -> GoDuration.requireNonNegative("timeout", t))
        .filter(timeout -> !timeout.isZero())
        .ifPresent(timeout -> parts.timeout = timeout);
    // KrakenD: max_rate <= 0 means no limit.
    consumer.apply("max_rate", consumer.number("max_rate").map(rate -> Math.max(0, rate)),
        rate -> parts.maxRate = check(rate));
    return topics;
  }

  private static double check(double maxRate) {
    AsyncAgent.builder().maxRate(maxRate);
    return maxRate;
  }

  /** {@code topic}: a string, as KrakenD's schema has it, or an array of strings ("one or more topics"). */
  private static List<TopicAt> topics(ConfigNode consumer) {
    Optional<Object> raw = consumer.raw("topic");
    if (!consumer.has("topic")) {
      consumer.report("topic", "is required");
      return List.of();
    }
    if (raw.isEmpty() || !(raw.get() instanceof String || raw.get() instanceof List)) {
      consumer.report("topic", "must be a string or an array of strings, but was "
          + ConfigNode.describe(raw.orElse(null)));
      return List.of();
    }
    List<TopicAt> topics = new ArrayList<>();
    if (raw.get() instanceof String) {
      topics.add(new TopicAt(consumer, -1, (String) raw.get()));
    } else {
      List<String> names = consumer.strings("topic").orElse(null);
      if (names == null) {
        return List.of();
      }
      if (names.isEmpty()) {
        consumer.report("topic", "must name at least one topic, but was empty");
      }
      for (int i = 0; i < names.size(); i++) {
        topics.add(new TopicAt(consumer, i, names.get(i)));
      }
    }
    Map<String, TopicAt> seen = new HashMap<>();
    List<TopicAt> distinct = new ArrayList<>();
    for (TopicAt topic : topics) {
      if (topic.name.isBlank()) {
        topic.report("must not be blank, but was " + ConfigNode.describe(topic.name));
      } else if (seen.containsKey(topic.name)) {
        topic.report("must not repeat a topic, but " + ConfigNode.describe(topic.name) + " is also "
            + seen.get(topic.name).path());
      } else {
        seen.put(topic.name, topic);
        distinct.add(topic);
      }
    }
    return distinct;
  }

  private static String encoding(String encoding) {
    if (!ENCODINGS.contains(encoding)) {
      throw new IllegalArgumentException("must be one of " + String.join(", ", ENCODINGS) + ", but was \""
          + encoding + "\"");
    }
    return encoding;
  }

  private void backends(ConfigNode agent, AgentParts parts) {
    Optional<List<ConfigNode>> backends = agent.objects("backend");
    if (!agent.has("backend")) {
      agent.report("backend", "is required");
    } else if (backends.isPresent() && backends.get().isEmpty()) {
      agent.report("backend", "must hold at least one backend, but was empty");
    }
    SinkFactory.Defaults defaults = new SinkFactory.Defaults(parts.name, parts.timeout, rootHosts);
    for (ConfigNode backend : backends.orElse(List.of())) {
      Optional<SinkFactory> factory = factories.sinks().stream().filter(f -> f.accepts(backend)).findFirst();
      if (factory.isEmpty()) {
        backend.report("is not read by any backend kind on the class path: add io.asyncagent:agent-http-backend");
        continue;
      }
      int before = backend.problemCount();
      Optional<Supplier<BackendSink>> sink = factory.get().create(backend, defaults);
      if (sink.isEmpty() && backend.problemCount() == before) {
        backend.report("was not read: the " + factory.get().kind() + " backend factory made nothing and reported"
            + " no problem");
      }
      sink.ifPresent(parts.sinks::add);
    }
  }

  private static Optional<ConfigNode> required(ConfigNode node, String key) {
    if (!node.has(key)) {
      node.report(key, "is required");
      return Optional.empty();
    }
    return node.object(key);
  }

  /** A topic name and where it is written: {@code consumer.topic}, or {@code consumer.topic[i]}. */
  private static final class TopicAt {
    final ConfigNode consumer;
    final int index;
    final String name;

    TopicAt(ConfigNode consumer, int index, String name) {
      this.consumer = consumer;
      this.index = index;
      this.name = name;
    }

    String path() {
      return consumer.path("topic") + (index < 0 ? "" : "[" + index + "]");
    }

    void report(String message) {
      if (index < 0) {
        consumer.report("topic", message);
      } else {
        consumer.report("topic", index, message);
      }
    }
  }
}
