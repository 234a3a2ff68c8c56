package io.asyncagent.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Virtual time for tests: tasks run when the test advances the clock past their due time. */
final class ManualScheduler implements Scheduler, Ticker {
  private long now = 1_000_000_000L;
  private final List<Task> tasks = new ArrayList<>();

  private record Task(long due, Runnable action, boolean[] cancelled) {}

  @Override
  public synchronized long nanos() {
    return now;
  }

  @Override
  public Runnable schedule(Runnable task, Duration delay) {
    boolean[] cancelled = {false};
    synchronized (this) {
      tasks.add(new Task(now + delay.toNanos(), task, cancelled));
    }
    return () -> cancelled[0] = true;
  }

  /** Moves time forward by {@code duration}, running every task that falls due on the way, in order. */
  void advance(Duration duration) {
    long target;
    synchronized (this) {
      target = now + duration.toNanos();
    }
    for (;;) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(t -> t.due() <= target).min(Comparator.comparingLong(Task::due)).orElse(null);
        if (next == null) {
          now = target;
          return;
        }
        tasks.remove(next);
        now = Math.max(now, next.due());
      }
      if (!next.cancelled()[0]) {
        next.action().run();
      }
    }
  }

  /** Returns how long until the next task is due, or empty when none is pending. */
  synchronized java.util.Optional<Duration> nextDue() {
    return tasks.stream().filter(t -> !t.cancelled()[0]).mapToLong(Task::due).min().stream()
        .mapToObj(due -> Duration.ofNanos(due - now)).findFirst();
  }
}
