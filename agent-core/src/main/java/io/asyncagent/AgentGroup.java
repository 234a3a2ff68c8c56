package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Several agents started, watched and closed as one — what a KrakenD configuration with several
 * {@code async_agent} entries runs. Each agent stays independent: one that fails does not stop the others
 * (KrakenD stops them all).
 *
 * <pre>{@code
 * try (AgentGroup agents = AgentGroup.of(stocks, orders)) {
 *   agents.start();
 *   ...
 *   String body = agents.health().toJson();   // for a /__health endpoint
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AgentGroup implements AutoCloseable {
  private final List<AsyncAgent> agents;

  private AgentGroup(List<AsyncAgent> agents) {
    this.agents = List.copyOf(agents);
  }

  /**
   * Returns a group of the given agents.
   *
   * @param agents the agents, with distinct names; none is a valid group
   * @return a new group
   * @throws IllegalArgumentException if two agents have the same name (health reports them by name)
   * @throws NullPointerException if {@code agents} or one of them is null
   */
  public static AgentGroup of(AsyncAgent... agents) {
    requireNonNull(agents, "agents");
    return of(List.of(agents));
  }

  /**
   * Returns a group of the given agents.
   *
   * @param agents the agents, with distinct names; none is a valid group
   * @return a new group
   * @throws IllegalArgumentException if two agents have the same name (health reports them by name)
   * @throws NullPointerException if {@code agents} or one of them is null
   */
  public static AgentGroup of(List<AsyncAgent> agents) {
    requireNonNull(agents, "agents");
    Set<String> names = new HashSet<>();
    for (AsyncAgent agent : agents) {
      if (!names.add(requireNonNull(agent, "agent").name())) {
        throw new IllegalArgumentException("agent names must be unique in a group, but '" + agent.name()
            + "' appears twice");
      }
    }
    return new AgentGroup(agents);
  }

  /** {@return the agents, in the order given} */
  public List<AsyncAgent> agents() {
    return agents;
  }

  /**
   * {@return the agent called {@code name}, if the group has one}
   *
   * @param name the agent's name
   */
  public Optional<AsyncAgent> agent(String name) {
    return agents.stream().filter(agent -> agent.name().equals(name)).findFirst();
  }

  /**
   * Starts every agent at once and waits for all of them. An agent that fails to start does not stop the
   * others: they keep running.
   *
   * @throws AgentException if some agents failed to start, naming each with its cause (the first is the
   *     exception's cause, the others are suppressed)
   */
  public void start() {
    Map<AsyncAgent, CompletableFuture<Void>> starts = new LinkedHashMap<>();
    for (AsyncAgent agent : agents) {
      starts.put(agent, CompletableFuture.runAsync(agent::start, runnable -> {
        Thread thread = new Thread(runnable, "asyncagent-" + agent.name() + "-start");
        thread.setDaemon(true);
        thread.start();
      }));
    }
    List<Throwable> failures = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    starts.forEach((agent, start) -> {
      try {
        start.join();
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        failures.add(cause);
        failed.add(agent.name() + ": " + cause.getMessage());
      }
    });
    if (!failures.isEmpty()) {
      AgentException exception = new AgentException(failures.size() + " of " + agents.size()
          + " agent(s) failed to start; the others are running:\n  " + String.join("\n  ", failed), failures.get(0));
      failures.stream().skip(1).forEach(exception::addSuppressed);
      throw exception;
    }
  }

  /** {@return every agent's health, and a KrakenD-shaped document of it} */
  public GroupHealth health() {
    Map<String, AgentHealth> health = new LinkedHashMap<>();
    for (AsyncAgent agent : agents) {
      health.put(agent.name(), agent.health());
    }
    return new GroupHealth(Instant.now(), health);
  }

  /** Closes every agent at once, each with its own drain timeout, and waits for all. */
  @Override
  public void close() {
    closeAll(AsyncAgent::close);
  }

  /**
   * Closes every agent at once, each waiting up to {@code grace} for its events in flight.
   *
   * @param grace how long each agent waits for its events in flight, {@code >= 0}
   * @throws IllegalArgumentException if {@code grace} is negative
   * @throws NullPointerException if {@code grace} is null
   */
  public void close(Duration grace) {
    GoDuration.requireNonNegative("grace", grace);
    closeAll(agent -> agent.close(grace));
  }

  private void closeAll(Consumer<AsyncAgent> close) {
    CompletableFuture.allOf(agents.stream()
            .map(agent -> CompletableFuture.runAsync(() -> close.accept(agent), runnable -> {
              Thread thread = new Thread(runnable, "asyncagent-" + agent.name() + "-close");
              thread.setDaemon(true);
              thread.start();
            }))
            .toArray(CompletableFuture<?>[]::new))
        .join();
  }

  @Override
  public String toString() {
    return "AgentGroup" + agents.stream().map(AsyncAgent::name).collect(Collectors.toList());
  }
}
