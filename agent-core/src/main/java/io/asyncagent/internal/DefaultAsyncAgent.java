package io.asyncagent.internal;

import static java.util.Objects.requireNonNull;

import io.asyncagent.AgentException;
import io.asyncagent.AgentHealth;
import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.ConnectionPolicy;
import io.asyncagent.FailurePolicy;
import io.asyncagent.GoDuration;
import io.asyncagent.Ordering;
import io.asyncagent.spi.Driver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The lifecycle. State lives in one AtomicReference and moves only forward by compare-and-set, so start,
 * close and a failing session can race without locks: whoever wins a transition owns the work that
 * follows it. Connecting, and connecting again, is the SessionSupervisor's; the agent hears from it when a
 * session is consuming (the first time, start() returns) and when it gives up (the agent fails).
 */
/** The {@link AsyncAgent} that {@link AsyncAgent.Builder#build()} returns. */
public final class DefaultAsyncAgent implements AsyncAgent {
  private static final Logger log = LoggerFactory.getLogger(DefaultAsyncAgent.class);

  /** What the builder collected; lists are copied. */
  public record Settings(
      String name,
      List<String> topics,
      int workers,
      Duration timeout,
      int bufferSize,
      long maxBufferedBytes,
      double maxRate,
      Ordering ordering,
      FailurePolicy onFailure,
      Driver driver,
      List<BackendSink> sinks,
      ConnectionPolicy connection,
      AgentListener listener,
      Duration startTimeout,
      Duration drainTimeout) {
    /** Copies the lists. */
    public Settings {
      topics = List.copyOf(topics);
      sinks = List.copyOf(sinks);
    }
  }

  private final Settings settings;
  private final Ticker ticker;
  private final ListenerGuard listener;
  private final HealthTracker health = new HealthTracker();
  private final AtomicReference<AgentState> state = new AtomicReference<>(AgentState.NEW);
  private final AtomicReference<Throwable> failureCause = new AtomicReference<>();
  private final CompletableFuture<Void> firstConnected = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile ScheduledExecutorService scheduler;
  private volatile DefaultDispatcher dispatcher;
  private volatile SessionSupervisor supervisor;

  /** Creates an agent in state {@link AgentState#NEW}. */
  public DefaultAsyncAgent(Settings settings) {
    this(settings, Ticker.system());
  }

  DefaultAsyncAgent(Settings settings, Ticker ticker) {
    this.settings = requireNonNull(settings, "settings");
    this.ticker = requireNonNull(ticker, "ticker");
    this.listener = new ListenerGuard(this, settings.listener());
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public AgentState state() {
    return state.get();
  }

  @Override
  public Optional<Throwable> failureCause() {
    return state.get() == AgentState.FAILED ? Optional.ofNullable(failureCause.get()) : Optional.empty();
  }

  @Override
  public AgentHealth health() {
    AgentState current = state.get();
    DefaultDispatcher currentDispatcher = dispatcher;
    boolean live = current == AgentState.RUNNING || current == AgentState.STARTING || current == AgentState.STOPPING;
    return new AgentHealth(name(), current, live && health.reachable(), health.lastAlive(), health.lastPoll(),
        health.lastDelivery(), live ? health.lag() : OptionalLong.empty(),
        currentDispatcher == null ? 0 : currentDispatcher.inFlight(),
        currentDispatcher == null ? 0 : currentDispatcher.admitted(),
        currentDispatcher == null ? 0 : currentDispatcher.admittedBytes(), failureCause());
  }

  @Override
  public void start() {
    if (!transition(AgentState.NEW, AgentState.STARTING)) {
      throw new IllegalStateException(
          "agent '" + name() + "' cannot start: it is " + state.get() + ", and an agent starts only once");
    }
    logLifecycle(() -> log.info("agent '{}' starting: topics {}, driver {}, {} sink(s), {} worker(s), timeout {}{}",
        name(), settings.topics(), settings.driver().type(), settings.sinks().size(), settings.workers(),
        GoDuration.format(settings.timeout()),
        settings.maxRate() > 0 ? ", max rate " + settings.maxRate() + "/s" : ""));
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(new AgentThreadFactory(name(), "scheduler"));
    scheduler = executor;
    dispatcher = new DefaultDispatcher(name(), settings.sinks(), settings.workers(), settings.bufferSize(),
        settings.maxBufferedBytes(), settings.maxRate(), settings.timeout(), settings.ordering(), settings.onFailure(),
        ticker, executor, listener, health::delivered);
    long interval = settings.connection().healthInterval().toNanos();
    executor.scheduleAtFixedRate(this::reportAlive, interval, interval, TimeUnit.NANOSECONDS);
    supervisor = new SessionSupervisor(name(), settings.driver().type(), settings.connection(),
        (task, delay) -> schedule(executor, task, delay), ticker, listener,
        attempt -> new SessionContext(attempt, name(), settings.topics(), dispatcher, health, listener,
            current -> supervisor.isCurrent(current)),
        context -> settings.driver().connect(context), this::connected, health::disconnected, this::fail);
    try {
      supervisor.start();
    } catch (RuntimeException rejected) {
      fail(rejected);
      throw new AgentException("agent '" + name() + "' failed to start: " + rejected.getMessage(), rejected);
    }
    awaitFirstConnection();
    if (!transition(AgentState.STARTING, AgentState.RUNNING)) {
      Throwable cause = failureCause.get();
      throw state.get() == AgentState.FAILED && cause != null
          ? new AgentException("agent '" + name() + "' failed to start: " + cause.getMessage(), cause)
          : new AgentException("agent '" + name() + "' did not start: it was closed while starting");
    }
    listener.started();
    logLifecycle(() -> log.info("agent '{}' running", name()));
  }

  private void awaitFirstConnection() {
    Duration startTimeout = settings.startTimeout();
    try {
      CompletableFuture.anyOf(firstConnected, ended).get(startTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      AgentException timedOut = new AgentException("agent '" + name() + "' did not become ready within "
          + GoDuration.format(startTimeout) + " (startTimeout); is the cluster reachable?");
      fail(timedOut);
      throw timedOut;
    } catch (ExecutionException e) {
      throw new IllegalStateException("unreachable: these futures never fail", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      AgentException interrupted = new AgentException("agent '" + name() + "' was interrupted while starting", e);
      fail(interrupted);
      throw interrupted;
    }
  }

  private void connected() {
    health.reachable(true);
    health.alive();
    firstConnected.complete(null);
  }

  private void reportAlive() {
    if (state.get() == AgentState.RUNNING && health.reachable()) {
      health.alive();
    }
  }

  @Override
  public void close() {
    close(settings.drainTimeout());
  }

  @Override
  public void close(Duration grace) {
    GoDuration.requireNonNegative("grace", grace);
    for (;;) {
      AgentState current = state.get();
      switch (current) {
        case NEW:
          if (transition(AgentState.NEW, AgentState.STOPPED)) {
            finish();
            return;
          }
          break;
        case STARTING:
        case RUNNING:
          if (transition(current, AgentState.STOPPING)) {
            stop(grace);
            return;
          }
          break;
        default: // STOPPING, or already STOPPED or FAILED: wait until whoever owns the end is done
          awaitFinished();
          return;
      }
    }
  }

  private void stop(Duration grace) {
    logLifecycle(() -> log.info("agent '{}' stopping; waiting up to {} for events in flight", name(),
        GoDuration.format(grace)));
    try {
      supervisor.stop(grace);
    } catch (RuntimeException e) {
      logLifecycle(() -> log.warn("agent '{}': the {} session did not close cleanly", name(), settings.driver().type(),
          e));
    } finally {
      release();
      transition(AgentState.STOPPING, AgentState.STOPPED);
      finish();
      logLifecycle(() -> log.info("agent '{}' stopped", name()));
    }
  }

  /** Moves to FAILED unless closing got there first, and releases what is held. */
  private void fail(Throwable cause) {
    failureCause.compareAndSet(null, cause); // the first cause is the one that explains
    for (;;) {
      AgentState current = state.get();
      if (current == AgentState.STOPPING || current.isTerminal()) {
        return;
      }
      if (transition(current, AgentState.FAILED)) {
        break;
      }
    }
    logLifecycle(() -> log.error("agent '{}' failed", name(), cause));
    try {
      if (supervisor != null) {
        supervisor.stop(Duration.ZERO);
      }
    } catch (RuntimeException e) {
      logLifecycle(() -> log.warn("agent '{}': the {} session did not close cleanly", name(), settings.driver().type(),
          e));
    } finally {
      release();
      finish();
    }
  }

  private void release() {
    health.disconnected();
    if (dispatcher != null) {
      dispatcher.shutdown();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    List<BackendSink> owned = new ArrayList<>(settings.sinks());
    settings.onFailure().deadLetter().ifPresent(owned::add);
    for (BackendSink sink : owned) {
      if (sink instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          logLifecycle(() -> log.warn("agent '{}': closing {} failed", name(), sink, e));
        }
      }
    }
  }

  private void finish() {
    ended.complete(null);
    finished.countDown();
  }

  private void awaitFinished() {
    try {
      finished.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean transition(AgentState from, AgentState to) {
    if (state.compareAndSet(from, to)) {
      listener.stateChanged(from, to);
      return true;
    }
    return false;
  }

  /** Writes a lifecycle line with the agent's name in the MDC. */
  private void logLifecycle(Runnable line) {
    LogContext mdc = LogContext.agent(name());
    try {
      line.run();
    } finally {
      mdc.restore();
    }
  }

  private static Runnable schedule(ScheduledExecutorService executor, Runnable task, Duration delay) {
    ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public String toString() {
    return "AsyncAgent{name=" + name() + ", state=" + state.get() + ", topics=" + settings.topics()
        + ", driver=" + settings.driver().type() + ", sinks=" + settings.sinks().size()
        + ", workers=" + settings.workers() + ", timeout=" + GoDuration.format(settings.timeout()) + "}";
  }
}
