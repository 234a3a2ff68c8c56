package io.asyncagent.cli;

import static java.util.Objects.requireNonNull;

import io.asyncagent.AgentException;
import io.asyncagent.AgentGroup;
import io.asyncagent.AgentHealth;
import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.GoDuration;
import io.asyncagent.GroupHealth;
import io.asyncagent.krakend.AgentDefinition;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code run}: builds the agents of a configuration, starts them as an {@link AgentGroup}, reports on them
 * until {@link #stop()} is called or every agent has failed, then closes the group with a drain and prints a
 * summary. With a {@link RunServer}, it serves the group's health and metrics from just before the agents start
 * until they have drained and the summary is printed, so that a scrape during the drain is answered.
 *
 * <p>Only the thread in {@link #run()} prints. The agents' listener and {@link #stop()} put signals on a queue
 * and return at once, so neither an agent's thread nor a shutdown hook ever waits for the output; and the lines
 * come out in the order things happened.
 */
final class AgentRun {
  private static final Object STOP = new Object();

  private final String source;
  private final List<AgentDefinition> definitions;
  private final Duration drainTimeout;
  private final Duration progressInterval;
  private final Optional<RunServer> server;
  private final PrintWriter out;
  private final DeliveryTally tally = new DeliveryTally(System.nanoTime());
  private final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile int exitCode = 1;

  /**
   * @param source where the definitions come from, for the first line, such as {@code krakend.json}
   * @param definitions the agents to run, at least one
   * @param drainTimeout how long closing waits for each agent's events in flight
   * @param progressInterval how often each agent's progress is printed
   * @param server the bound server of {@code /__health} and {@code /metrics}, if any; the run starts it and
   *     closes it
   * @param out where every line goes
   */
  AgentRun(String source, List<AgentDefinition> definitions, Duration drainTimeout, Duration progressInterval,
      Optional<RunServer> server, PrintWriter out) {
    this.source = requireNonNull(source, "source");
    this.definitions = List.copyOf(definitions);
    this.drainTimeout = GoDuration.requireNonNegative("drainTimeout", drainTimeout);
    this.progressInterval = GoDuration.requirePositive("progressInterval", progressInterval);
    this.server = requireNonNull(server, "server");
    this.out = requireNonNull(out, "out");
    if (this.definitions.isEmpty()) {
      throw new IllegalArgumentException("a run needs at least one agent definition");
    }
  }

  /**
   * Runs the agents until {@link #stop()} or until every one has failed, then drains them, prints the summary and
   * closes the server.
   *
   * @return 0 when every agent stopped cleanly, 1 when one ended {@link AgentState#FAILED}
   */
  int run() {
    int code = 1;
    try {
      code = runToTheEnd();
      return code;
    } finally {
      server.ifPresent(RunServer::close);
      out.flush();
      exitCode = code;
      finished.countDown();
    }
  }

  /** Asks the run to drain and finish. Returns at once; any thread may call it, any number of times. */
  void stop() {
    signals.add(STOP);
  }

  /** Waits until {@link #run()} has returned, and returns its exit code. */
  int awaitExitCode() {
    boolean interrupted = false;
    while (true) {
      try {
        finished.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return exitCode;
  }

  private int runToTheEnd() {
    long began = System.nanoTime();
    out.println("Starting " + Plural.of(definitions.size(), "agent") + " from " + source);
    for (AgentDefinition definition : definitions) {
      out.println(definition.summary());
    }
    out.flush();
    AgentGroup group = AgentGroup.of(build());
    try {
      if (server.isPresent()) {
        server.get().start(group::health);
        out.println(RunLines.serving(server.get().address()));
        out.flush();
      }
      start(group);
      boolean stopRequested = watch(group);
      out.println(stopRequested
          ? "Stopping " + Plural.of(definitions.size(), "agent") + "; draining for up to "
              + GoDuration.format(drainTimeout)
          : "Every agent has failed; stopping");
      out.flush();
    } finally {
      group.close(drainTimeout);
    }
    printPendingSignals();
    return summary(group, Duration.ofNanos(System.nanoTime() - began));
  }

  private List<AsyncAgent> build() {
    AgentListener listener = AgentListener.composite(new SignalingListener(), tally,
        server.map(RunServer::metricsListener).orElse(AgentListener.NONE));
    List<AsyncAgent> agents = new ArrayList<>();
    try {
      for (AgentDefinition definition : definitions) {
        agents.add(definition.newBuilder().listener(listener).build());
      }
      return agents;
    } catch (RuntimeException e) {
      agents.forEach(AsyncAgent::close); // releases the sinks of those built; none was started
      throw e;
    }
  }

  private void start(AgentGroup group) {
    try {
      group.start();
    } catch (AgentException someFailed) {
      // Each agent that failed says why in its own FAILED line; the others are running.
    }
    printPendingSignals();
    long running = group.agents().stream().filter(agent -> agent.state() == AgentState.RUNNING).count();
    if (running > 0) {
      out.println((running == definitions.size() ? "Running " + Plural.of(running, "agent")
          : "Running " + running + " of " + Plural.of(definitions.size(), "agent"))
          + "; Ctrl-C or SIGTERM drains and stops");
    }
    out.flush();
  }

  /** Reports until {@link #stop()} or until every agent has failed; returns whether it was {@link #stop()}. */
  private boolean watch(AgentGroup group) {
    String shownHealth = "";
    long nextProgress = System.nanoTime() + progressInterval.toNanos();
    while (true) {
      shownHealth = printHealthIfChanged(group, shownHealth);
      if (group.agents().stream().allMatch(agent -> agent.state() == AgentState.FAILED)) {
        printPendingSignals();
        printHealthIfChanged(group, shownHealth);
        return false;
      }
      Object signal;
      try {
        signal = signals.poll(Math.max(0, nextProgress - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
      if (signal == STOP) {
        return true;
      }
      if (signal != null) {
        print(signal);
      } else {
        printProgress(group);
        nextProgress = System.nanoTime() + progressInterval.toNanos();
      }
      out.flush();
    }
  }

  private void printProgress(AgentGroup group) {
    GroupHealth health = group.health();
    long now = System.nanoTime();
    for (AgentHealth agent : health.agents().values()) {
      out.println(RunLines.progress(agent, health.now(), tally.counts(agent.name(), now)));
    }
  }

  /**
   * Prints the group's health document when the group's state has changed since {@code shown}: an agent's state
   * or health, not merely the times in the document. Returns what is shown now.
   */
  private String printHealthIfChanged(AgentGroup group, String shown) {
    GroupHealth health = group.health();
    StringBuilder state = new StringBuilder();
    health.agents().values().forEach(agent -> state.append(agent.state()).append(agent.isHealthy()).append(';'));
    if (!state.toString().equals(shown)) {
      out.println(RunLines.health(health));
      out.flush();
    }
    return state.toString();
  }

  private void printPendingSignals() {
    for (Object signal = signals.poll(); signal != null; signal = signals.poll()) {
      if (signal != STOP) {
        print(signal);
      }
    }
    out.flush();
  }

  private void print(Object signal) {
    if (signal instanceof StateChanged changed) {
      out.println(RunLines.stateChanged(changed.agent().name(), changed.from(), changed.to(),
          changed.agent().failureCause()));
    } else if (signal instanceof ConnectionLost lost) {
      out.println(RunLines.connectionLost(lost.agent(), lost.attempt(), lost.cause(), lost.retryIn()));
    }
  }

  private int summary(AgentGroup group, Duration took) {
    Map<AgentState, Integer> ended = new EnumMap<>(AgentState.class);
    ended.put(AgentState.STOPPED, 0);
    ended.put(AgentState.FAILED, 0);
    boolean failed = false;
    for (AsyncAgent agent : group.agents()) {
      ended.merge(agent.state(), 1, Integer::sum);
      if (agent.state() == AgentState.FAILED) {
        out.println(RunLines.failed(agent.name(), agent.failureCause()));
        failed = true;
      }
    }
    DeliveryTally.Counts total = tally.total();
    out.println(RunLines.stopped(took, ended, total.delivered(), total.failed()));
    return failed ? 1 : 0;
  }

  /** Hears every agent of the run; it only queues what it hears (a listener must not block). */
  private final class SignalingListener implements AgentListener {

    @Override
    public void stateChanged(AsyncAgent agent, AgentState from, AgentState to) {
      signals.add(new StateChanged(agent, from, to));
    }

    @Override
    public void connectionLost(AsyncAgent agent, int attempt, Throwable cause, Optional<Duration> retryIn) {
      signals.add(new ConnectionLost(agent.name(), attempt, cause, retryIn));
    }
  }

  private record StateChanged(AsyncAgent agent, AgentState from, AgentState to) {}

  private record ConnectionLost(String agent, int attempt, Throwable cause, Optional<Duration> retryIn) {}

  @Override
  public String toString() {
    return "AgentRun{" + source + ", " + Plural.of(definitions.size(), "agent") + ", drainTimeout="
        + GoDuration.format(drainTimeout) + "}";
  }
}
