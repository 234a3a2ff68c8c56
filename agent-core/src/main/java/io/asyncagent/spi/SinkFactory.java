package io.asyncagent.spi;

import static java.util.Objects.requireNonNull;

import io.asyncagent.BackendSink;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads one entry of an agent's {@code backend} array into a recipe for {@link BackendSink}s. Found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.asyncagent.spi.SinkFactory}); a loader asks
 * each factory in turn whether it {@link #accepts} the entry, and the first that does reads it.
 *
 * <p>A factory returns a recipe rather than a sink because a sink may own resources — an HTTP backend owns
 * an HTTP client and its threads — while a configuration is read, checked and perhaps thrown away
 * ({@code check -c krakend.json}) long before, or without, any agent running. So all checking happens in
 * {@link #create}, which must start nothing; each call of the returned supplier then builds a fresh sink,
 * one per agent built, which that agent closes when it stops.
 */
public interface SinkFactory {

  /** {@return a short name for messages, such as {@code http}} */
  String kind();

  /**
   * Returns whether this factory reads {@code backend}: for example, an HTTP factory takes every entry that
   * does not name another kind of backend. Must not report problems: {@link #create} does.
   *
   * @param backend the entry, such as {@code async_agent[0].backend[0]}
   * @return whether this factory reads the entry
   */
  boolean accepts(ConfigNode backend);

  /**
   * Reads and checks the entry. Every problem is reported to {@code backend}, with its path, rather than
   * thrown, so that one pass finds them all. Starts no thread and opens no connection.
   *
   * <p>The supplier's {@code toString()} describes the sink on one line for summaries, such as
   * {@code GET http://billing:8080/events}, and shows no secret.
   *
   * @param backend the entry, such as {@code async_agent[0].backend[0]}
   * @param defaults what the entry inherits from its agent and the file's root
   * @return a supplier that builds a fresh sink each time it is called and never throws for configuration
   *     problems; or empty when a problem was reported
   */
  Optional<Supplier<BackendSink>> create(ConfigNode backend, Defaults defaults);

  /**
   * What a backend entry inherits from around it, as in KrakenD.
   *
   * @param agentName the agent's name
   * @param timeout the agent's {@code consumer.timeout}, which KrakenD copies to every backend
   * @param hosts the root-level {@code host} list, used when an entry has none; may be empty
   */
  record Defaults(String agentName, Duration timeout, List<String> hosts) {
    /**
     * Checks that every part is present and copies the host list.
     *
     * @param agentName the agent's name
     * @param timeout the agent's {@code consumer.timeout}
     * @param hosts the root-level {@code host} list; may be empty
     * @throws NullPointerException if a part, or a host, is null
     */
    public Defaults {
      requireNonNull(agentName, "agentName");
      requireNonNull(timeout, "timeout");
      hosts = List.copyOf(hosts);
    }
  }
}
