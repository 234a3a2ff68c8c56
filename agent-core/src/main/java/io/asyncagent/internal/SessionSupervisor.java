package io.asyncagent.internal;

import io.asyncagent.ConnectionException;
import io.asyncagent.ConnectionPolicy;
import io.asyncagent.GoDuration;
import io.asyncagent.spi.DriverContext;
import io.asyncagent.spi.DriverSession;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * KrakenD's reconnect loop (krakend-amqp async/agent.go), as a chain of callbacks instead of a blocked
 * goroutine: connect; when the session ends, decide; wait the backoff on the scheduler; connect again.
 *
 * Attempt i is the i-th in a row (0 first). A session that ran longer than ConnectionPolicy.HEALTHY_RUN
 * before it ended resets the count, so the next attempt is 1 again. Attempt i waits delayBefore(i); the
 * first waits nothing (KrakenD waits backoff(0) even then). When attempt i ends and attempt i + 1 is not
 * allowed, the agent gives up. A ConnectionException that is not retriable gives up at once: wrong
 * credentials do not become right by waiting.
 *
 * The lock orders connecting against stopping; nothing outside it is called while it is held — the listener,
 * the log and the agent's give-up hear of a decision after it is released, and the retry is scheduled only
 * after the listener heard of the loss, so that its calls come in order.
 */
/** Connects an agent's driver and reconnects it under the agent's {@link ConnectionPolicy}. */
final class SessionSupervisor {
  private static final Logger log = LoggerFactory.getLogger(SessionSupervisor.class);
  private static final Runnable NOTHING = () -> {};

  private final String agentName;
  private final String driverType;
  private final ConnectionPolicy policy;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final ListenerGuard listener;
  private final IntFunction<DriverContext> contexts;
  private final Function<DriverContext, DriverSession> connector;
  private final Runnable onConnected;
  private final Runnable onDisconnected;
  private final Consumer<Throwable> onGiveUp;
  private final Object lock = new Object();

  private volatile boolean stopped; // written under lock
  private volatile int currentAttempt = -1; // written under lock
  // Guarded by lock.
  private DriverSession session;
  private Runnable pendingRetry;

  SessionSupervisor(String agentName, String driverType, ConnectionPolicy policy, Scheduler scheduler,
      Ticker ticker, ListenerGuard listener, IntFunction<DriverContext> contexts,
      Function<DriverContext, DriverSession> connector, Runnable onConnected,
      Runnable onDisconnected, Consumer<Throwable> onGiveUp) {
    this.agentName = agentName;
    this.driverType = driverType;
    this.policy = policy;
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.listener = listener;
    this.contexts = contexts;
    this.connector = connector;
    this.onConnected = onConnected;
    this.onDisconnected = onDisconnected;
    this.onGiveUp = onGiveUp;
  }

  /** Makes the first attempt. A driver that rejects its configuration at once throws from here. */
  void start() {
    attempt(0, true);
  }

  /**
   * Returns whether {@code attempt} is the agent's latest session — still true while it closes, so that
   * what it reports on the way out (the partitions it gives back) is heard.
   */
  boolean isCurrent(int attempt) {
    return attempt == currentAttempt;
  }

  /** Stops reconnecting and closes the current session, waiting up to {@code grace} for its events. */
  void stop(Duration grace) {
    DriverSession current;
    synchronized (lock) {
      stopped = true;
      if (pendingRetry != null) {
        pendingRetry.run();
        pendingRetry = null;
      }
      current = session;
    }
    if (current != null) {
      current.close(grace);
    }
  }

  private void attempt(int attempt, boolean first) {
    if (stopped) {
      return;
    }
    listener.connecting(attempt);
    DriverSession connected;
    long startedAt;
    Runnable then = NOTHING;
    synchronized (lock) {
      if (stopped) {
        return;
      }
      pendingRetry = null;
      currentAttempt = attempt;
      startedAt = ticker.nanos();
      try {
        connected = connector.apply(contexts.apply(attempt));
      } catch (RuntimeException rejected) {
        if (first) {
          throw rejected; // a configuration the driver refuses: start() reports it
        }
        connected = null;
        then = decideAfter(attempt, startedAt, rejected);
      }
      session = connected;
    }
    then.run();
    if (connected == null) {
      return;
    }
    connected.ready().thenRun(() -> {
      if (!stopped && isCurrent(attempt)) {
        listener.connected(attempt);
        onConnected.run();
      }
    });
    connected.terminated().whenComplete((ignored, failure) -> ended(attempt, startedAt, failure));
  }

  private void ended(int attempt, long startedAt, Throwable failure) {
    Runnable then;
    synchronized (lock) {
      if (stopped || attempt != currentAttempt) {
        return;
      }
      session = null;
      onDisconnected.run();
      Throwable cause = failure == null
          ? new ConnectionException("the " + driverType + " session ended on its own", true)
          : SinkGuard.unwrap(failure);
      then = decideAfter(attempt, startedAt, cause);
    }
    then.run();
  }

  /**
   * Decides what follows attempt {@code attempt}, which ended with {@code cause}; holds the lock. Returns
   * what to do once the lock is released: tell the listener, and give up or schedule the next attempt.
   */
  private Runnable decideAfter(int attempt, long startedAt, Throwable cause) {
    if (cause instanceof ConnectionException connection && !connection.isRetriable()) {
      return () -> {
        listener.connectionLost(attempt, cause, Optional.empty());
        onGiveUp.accept(cause);
      };
    }
    boolean ranLong = ticker.nanos() - startedAt > ConnectionPolicy.HEALTHY_RUN.toNanos();
    int next = ranLong ? 1 : attempt + 1;
    if (!policy.allowsAttempt(next)) {
      return () -> {
        listener.connectionLost(attempt, cause, Optional.empty());
        onGiveUp.accept(new ConnectionException("gave up after " + (attempt + 1) + " connection attempt(s) in a "
            + "row (connection.maxRetries " + policy.maxRetries() + "); the last failed with: " + cause.getMessage(),
            false, cause));
      };
    }
    Duration delay = policy.delayBefore(next);
    return () -> {
      LogContext mdc = LogContext.agent(agentName);
      try {
        log.warn("agent '{}': the {} session ended ({}); connection attempt {} in {}", agentName, driverType,
            cause.getMessage(), next, GoDuration.format(delay));
      } finally {
        mdc.restore();
      }
      listener.connectionLost(attempt, cause, Optional.of(delay));
      synchronized (lock) {
        if (!stopped && currentAttempt == attempt) {
          pendingRetry = scheduler.schedule(() -> attempt(next, false), delay);
        }
      }
    };
  }
}
