package io.asyncagent.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** What the agent knows of its own health, written by its threads and read by health checks. */
final class HealthTracker {
  private static final long NEVER = Long.MIN_VALUE;

  private volatile boolean reachable;
  private volatile long lastAliveMillis = NEVER;
  private volatile long lastPollMillis = NEVER;
  private volatile long lastDeliveryMillis = NEVER;
  private volatile long lag = -1;

  void reachable(boolean reachable) {
    this.reachable = reachable;
  }

  boolean reachable() {
    return reachable;
  }

  void alive() {
    lastAliveMillis = System.currentTimeMillis();
  }

  void polled() {
    lastPollMillis = System.currentTimeMillis();
  }

  void delivered() {
    lastDeliveryMillis = System.currentTimeMillis();
  }

  void lag(long lag) {
    this.lag = lag;
  }

  /** Forgets what only a live session can know: its reachability and its lag. */
  void disconnected() {
    reachable = false;
    lag = -1;
  }

  Optional<Instant> lastAlive() {
    return instant(lastAliveMillis);
  }

  Optional<Instant> lastPoll() {
    return instant(lastPollMillis);
  }

  Optional<Instant> lastDelivery() {
    return instant(lastDeliveryMillis);
  }

  OptionalLong lag() {
    long current = lag;
    return current < 0 ? OptionalLong.empty() : OptionalLong.of(current);
  }

  private static Optional<Instant> instant(long millis) {
    return millis == NEVER ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
