package io.asyncagent.krakend;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.asyncagent.AgentGroup;
import io.asyncagent.AsyncAgent;
import io.asyncagent.GoDuration;
import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import io.asyncagent.spi.ConfigNode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The agents of a KrakenD configuration file: its {@code async_agent} array, read with KrakenD's defaults and
 * checked in full. The rest of the file — endpoints, the service's {@code extra_config} — is left alone, so
 * a gateway's whole {@code krakend.json} can be given as it is.
 *
 * <pre>{@code
 * KrakendConfig config = KrakendConfig.read(Path.of("krakend.json"));
 * config.agents().forEach(agent -> log.info(agent.summary()));
 * try (AgentGroup agents = config.newGroup()) {
 *   agents.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Drivers (the {@code extra_config} namespace of an agent, such as {@code async/kafka}) and backends are
 * read by the {@link io.asyncagent.spi.DriverFactory} and {@link io.asyncagent.spi.SinkFactory} found
 * through {@link java.util.ServiceLoader}: put agent-kafka and agent-http-backend on the class path.
 *
 * <p>What is read from the root: {@code async_agent}; {@code timeout}, the default of every
 * {@code consumer.timeout} (2 s when absent or zero); and {@code host}, the hosts of every backend that names
 * none. Keys starting with {@code @}, {@code $}, {@code _} or {@code #} are comments, anywhere. The file is
 * strict JSON, as Go reads it — and, unlike Go, a key given twice in one object is an error rather than the
 * last one winning. KrakenD's flexible configuration (templates) must be rendered first.
 *
 * <p>Each field of an agent keeps KrakenD's default and normalisation ({@code workers} below 1 is 1,
 * {@code max_retries} of 0 or less is unlimited, {@code health_interval} below 1 s is 1 s, ...); where this
 * library knowingly differs — an unknown {@code backoff_strategy} or malformed duration is an error rather
 * than a silent default — docs/krakend-migration.md says so. The settings KrakenD does not have go in an
 * agent's {@code extra_config} under our own namespace {@code "asyncagent"}:
 *
 * <pre>{@code
 * "asyncagent": {
 *   "ordering": "key",                 // unordered (default) | partition | key
 *   "buffer_size": 256, "max_buffered_bytes": 33554432,
 *   "start_timeout": "30s", "drain_timeout": "30s",
 *   "on_failure": {"mode": "retry",    // skip (default, KrakenD's) | retry
 *                  "max_attempts": 10, "initial_backoff": "100ms", "max_backoff": "30s", "max_retry_after": "1m"}
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class KrakendConfig {
  static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(AsyncAgent.DEFAULT_TIMEOUT_MILLIS);

  private final String source;
  private final List<AgentDefinition> agents;

  private KrakendConfig(String source, List<AgentDefinition> agents) {
    this.source = source;
    this.agents = List.copyOf(agents);
  }

  /**
   * Reads the file at {@code file}, in UTF-8; messages name it as given.
   *
   * @param file the krakend.json
   * @return the configuration, every agent in it checked
   * @throws UncheckedIOException if the file cannot be read
   * @throws InvalidConfigException listing every problem of the file, in the order of the file
   * @throws NullPointerException if {@code file} is null
   */
  public static KrakendConfig read(Path file) {
    requireNonNull(file, "file");
    try (Reader json = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(json, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + reason(e), e);
    }
  }

  /** The JDK's message for these two is the file name alone. */
  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /**
   * Reads a configuration from {@code json}, which is not closed.
   *
   * @param source what to call the configuration in messages, such as its file name
   * @param json the configuration's text
   * @return the configuration, every agent in it checked
   * @throws UncheckedIOException if {@code json} cannot be read
   * @throws InvalidConfigException listing every problem, in the order of the text; a text that is not JSON
   *     is one problem at {@code $}, naming the line and column
   * @throws NullPointerException if {@code json} or {@code source} is null
   */
  public static KrakendConfig read(Reader json, String source) {
    requireNonNull(json, "json");
    requireNonNull(source, "source");
    List<Violation> violations = new ArrayList<>();
    Optional<JsonTree> tree = JsonTree.parse(json, violations);
    if (tree.isEmpty()) {
      throw new InvalidConfigException(source, violations);
    }
    List<AgentDefinition> agents = agents(ConfigNode.of("", tree.get().root(), violations), violations,
        Factories.load());
    if (!violations.isEmpty()) {
      throw new InvalidConfigException(source, tree.get().inFileOrder(violations));
    }
    return new KrakendConfig(source, agents);
  }

  /**
   * Reads a configuration already parsed by Jackson. Problems are reported in the order of the tree's fields.
   *
   * @param source what to call the configuration in messages
   * @param root the configuration's root object
   * @return the configuration, every agent in it checked
   * @throws InvalidConfigException listing every problem
   * @throws NullPointerException if {@code root} or {@code source} is null
   */
  public static KrakendConfig read(JsonNode root, String source) {
    requireNonNull(root, "root");
    requireNonNull(source, "source");
    return read(new StringReader(root.toString()), source);
  }

  /** {@return what the configuration is called in messages: the file name, or the source given} */
  public String source() {
    return source;
  }

  /** {@return the agents, in the order of the file; never empty} */
  public List<AgentDefinition> agents() {
    return agents;
  }

  /**
   * Builds every agent, each with fresh sinks, into a group; the agents are {@link io.asyncagent.AgentState#NEW
   * NEW}: {@link AgentGroup#start()} starts them. Each call builds new agents.
   *
   * @return a new group of new agents, in the order of the file
   */
  public AgentGroup newGroup() {
    List<AsyncAgent> built = new ArrayList<>();
    try {
      for (AgentDefinition agent : agents) {
        built.add(agent.newBuilder().build());
      }
      return AgentGroup.of(built);
    } catch (RuntimeException e) {
      built.forEach(AsyncAgent::close); // closes their sinks
      throw e;
    }
  }

  /** Returns the source and the agents' names. */
  @Override
  public String toString() {
    return "KrakendConfig{" + source + ": " + agents.stream().map(AgentDefinition::name)
        .collect(Collectors.joining(", ", "[", "]")) + "}";
  }

  private static List<AgentDefinition> agents(ConfigNode root, List<Violation> violations, Factories factories) {
    Duration timeout = root.convert("timeout", root.duration("timeout"),
            t -> GoDuration.requireNonNegative("timeout", t))
        .filter(t -> !t.isZero())
        .orElse(DEFAULT_TIMEOUT);
    List<String> hosts = root.strings("host").orElse(List.of());
    if (!root.has("async_agent")) {
      root.report("async_agent", "is required: the file defines no agent");
      return List.of();
    }
    AgentReader reader = new AgentReader(factories, timeout, hosts);
    List<AgentDefinition> agents = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    entries(root, violations).forEach((index, entry) -> {
      reader.read(entry, index).ifPresent(agents::add);
      entry.raw("name").filter(String.class::isInstance).map(String.class::cast).filter(name -> !name.isBlank())
          .ifPresent(name -> {
            String first = names.putIfAbsent(name, entry.path());
            if (first != null) {
              entry.report("name", "must be unique in the file, but " + ConfigNode.describe(name)
                  + " is also the name of " + first);
            }
          });
    });
    return agents;
  }

  /**
   * Returns the entries of {@code async_agent} that are objects, by index. An entry that is not an object is
   * reported on its own, so that the problems of the others are still found.
   */
  @SuppressWarnings("unchecked") // JsonTree makes every JSON object a Map<String, Object>
  private static Map<Integer, ConfigNode> entries(ConfigNode root, List<Violation> violations) {
    Object raw = root.raw("async_agent").orElse(null);
    if (!(raw instanceof List<?> list)) {
      root.objects("async_agent"); // reports the wrong type
      return Map.of();
    }
    if (list.isEmpty()) {
      root.report("async_agent", "must hold at least one agent, but was empty");
    }
    Map<Integer, ConfigNode> entries = new TreeMap<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> entry) {
        entries.put(i, ConfigNode.of(root.path("async_agent") + "[" + i + "]", (Map<String, Object>) entry,
            violations));
      } else {
        root.report("async_agent", i, "must be an object, but was " + ConfigNode.describe(list.get(i)));
      }
    }
    return entries;
  }
}
