package io.asyncagent.internal;

import static java.util.Objects.requireNonNull;

import io.asyncagent.AgentException;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.GoDuration;
import io.asyncagent.spi.Dispatcher;
import io.asyncagent.spi.Driver;
import io.asyncagent.spi.DriverContext;
import io.asyncagent.spi.DriverSession;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The lifecycle. State lives in one AtomicReference and moves only forward by compare-and-set, so start,
 * close and a failing session can race without locks on the hot path: whoever wins the transition owns
 * the work that follows it. The one lock guards the window in which start() connects the session, so
 * that a close() arriving meanwhile finds the session it must close.
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
      Driver driver,
      List<BackendSink> sinks,
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
  private final AtomicReference<AgentState> state = new AtomicReference<>(AgentState.NEW);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Object sessionLock = new Object();
  private final AtomicReference<Throwable> failureCause = new AtomicReference<>();
  private volatile DefaultDispatcher dispatcher;
  private DriverSession session; // guarded by sessionLock

  /** Creates an agent in state {@link AgentState#NEW}. */
  public DefaultAsyncAgent(Settings settings) {
    this(settings, Ticker.system());
  }

  DefaultAsyncAgent(Settings settings, Ticker ticker) {
    this.settings = requireNonNull(settings, "settings");
    this.ticker = requireNonNull(ticker, "ticker");
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
  public void start() {
    if (!state.compareAndSet(AgentState.NEW, AgentState.STARTING)) {
      throw new IllegalStateException(
          "agent '" + name() + "' cannot start: it is " + state.get() + ", and an agent starts only once");
    }
    log.info("agent '{}' starting: topics {}, driver {}, {} sink(s), {} worker(s), timeout {}", name(),
        settings.topics(), settings.driver().type(), settings.sinks().size(), settings.workers(),
        GoDuration.format(settings.timeout()));
    dispatcher = new DefaultDispatcher(name(), settings.sinks(), settings.workers(), settings.bufferSize(),
        settings.timeout(), ticker);
    DriverSession connected = connect();
    awaitReady(connected);
    if (!state.compareAndSet(AgentState.STARTING, AgentState.RUNNING)) {
      throw new AgentException("agent '" + name() + "' did not start: it became " + state.get() + " meanwhile",
          failureCause.get());
    }
    log.info("agent '{}' running", name());
  }

  private DriverSession connect() {
    synchronized (sessionLock) {
      if (state.get() != AgentState.STARTING) {
        throw new AgentException("agent '" + name() + "' did not start: it was closed while starting");
      }
      try {
        session = settings.driver().connect(new Context());
      } catch (RuntimeException e) {
        fail(e);
        throw new AgentException("agent '" + name() + "' failed to start: " + e.getMessage(), e);
      }
      session.terminated().whenComplete((ignored, failure) -> sessionEnded(failure));
      return session;
    }
  }

  private void awaitReady(DriverSession connected) {
    CompletableFuture<Object> readyOrEnded = CompletableFuture.anyOf(
        connected.ready().toCompletableFuture(), connected.terminated().toCompletableFuture());
    Duration startTimeout = settings.startTimeout();
    try {
      readyOrEnded.get(startTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      AgentException timedOut = new AgentException(
          "agent '" + name() + "' did not become ready within " + GoDuration.format(startTimeout)
              + " (startTimeout); is the cluster reachable?");
      fail(timedOut);
      throw timedOut;
    } catch (ExecutionException e) {
      Throwable cause = SinkGuard.unwrap(e);
      fail(cause);
      throw new AgentException("agent '" + name() + "' failed to start: " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      AgentException interrupted = new AgentException("agent '" + name() + "' was interrupted while starting", e);
      fail(interrupted);
      throw interrupted;
    }
    if (connected.terminated().toCompletableFuture().isDone() && state.get() == AgentState.STARTING) {
      fail(new AgentException("the " + settings.driver().type() + " session ended before it was ready"));
    }
  }

  @Override
  public void close() {
    close(settings.drainTimeout());
  }

  @Override
  public void close(Duration grace) {
    requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must be >= 0, but was " + GoDuration.format(grace));
    }
    for (;;) {
      AgentState current = state.get();
      switch (current) {
        case NEW:
          if (state.compareAndSet(AgentState.NEW, AgentState.STOPPED)) {
            finished.countDown();
            return;
          }
          break;
        case STARTING:
        case RUNNING:
          if (state.compareAndSet(current, AgentState.STOPPING)) {
            stop(grace);
            return;
          }
          break;
        case STOPPING:
          awaitFinished();
          return;
        default: // STOPPED, FAILED
          return;
      }
    }
  }

  private void stop(Duration grace) {
    log.info("agent '{}' stopping; waiting up to {} for events in flight", name(), GoDuration.format(grace));
    try {
      DriverSession current;
      synchronized (sessionLock) {
        current = session;
      }
      if (current != null) {
        current.close(grace);
      }
    } catch (RuntimeException e) {
      log.warn("agent '{}': the {} session did not close cleanly", name(), settings.driver().type(), e);
    } finally {
      dispatcher.shutdown();
      state.set(AgentState.STOPPED);
      finished.countDown();
      log.info("agent '{}' stopped", name());
    }
  }

  private void awaitFinished() {
    try {
      finished.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sessionEnded(Throwable failure) {
    AgentState current = state.get();
    if (current == AgentState.STOPPING || current.isTerminal()) {
      return;
    }
    fail(failure != null
        ? SinkGuard.unwrap(failure)
        : new AgentException("the " + settings.driver().type() + " session ended on its own"));
  }

  /** Moves to FAILED unless closing got there first, and releases what is held. */
  private void fail(Throwable cause) {
    failureCause.compareAndSet(null, cause); // the first cause is the one that explains
    for (;;) {
      AgentState current = state.get();
      if (current == AgentState.STOPPING || current.isTerminal()) {
        return;
      }
      if (state.compareAndSet(current, AgentState.FAILED)) {
        break;
      }
    }
    log.error("agent '{}' failed", name(), cause);
    DriverSession current;
    synchronized (sessionLock) {
      current = session;
    }
    try {
      if (current != null) {
        current.close(Duration.ZERO);
      }
    } catch (RuntimeException e) {
      log.warn("agent '{}': the {} session did not close cleanly", name(), settings.driver().type(), e);
    } finally {
      if (dispatcher != null) {
        dispatcher.shutdown();
      }
      finished.countDown();
    }
  }

  @Override
  public String toString() {
    return "AsyncAgent{name=" + name() + ", state=" + state.get() + ", topics=" + settings.topics()
        + ", driver=" + settings.driver().type() + ", sinks=" + settings.sinks().size()
        + ", workers=" + settings.workers() + ", timeout=" + GoDuration.format(settings.timeout()) + "}";
  }

  private final class Context implements DriverContext {
    @Override
    public String agentName() {
      return name();
    }

    @Override
    public List<String> topics() {
      return settings.topics();
    }

    @Override
    public Dispatcher dispatcher() {
      return dispatcher;
    }

    @Override
    public ThreadFactory threadFactory(String role) {
      return new AgentThreadFactory(name(), role);
    }
  }
}
