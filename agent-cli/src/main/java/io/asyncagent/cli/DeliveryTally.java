package io.asyncagent.cli;

import io.asyncagent.AgentListener;
import io.asyncagent.AsyncAgent;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryFailure;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@code run} counts of its agents' deliveries, for its progress lines and its summary: per agent, the
 * events delivered and the failed delivery attempts — the same two numbers as the {@code /metrics} counters
 * {@code asyncagent_events_delivered_total} and {@code asyncagent_events_failed_total}, summed over topics.
 *
 * <p>The agents' threads count, through the listener methods: a map look-up and a {@link LongAdder} increment,
 * without locks, as a listener must. {@link #counts} and {@link #total} read them; {@link #counts} also remembers
 * what it returned, to give the rate since its previous call for the same agent, so only one thread (the run's)
 * may call it.
 */
final class DeliveryTally implements AgentListener {
  private final Map<String, Adders> byAgent = new ConcurrentHashMap<>();
  private final Map<String, Mark> marks = new HashMap<>();
  private final long startNanos;

  /** Starts counting; the first rate of each agent is from {@code startNanos}, a {@link System#nanoTime()}. */
  DeliveryTally(long startNanos) {
    this.startNanos = startNanos;
  }

  @Override
  public void delivered(AsyncAgent agent, DeliveryAttempt attempt) {
    adders(agent.name()).delivered.increment();
  }

  @Override
  public void failed(AsyncAgent agent, DeliveryAttempt attempt, DeliveryFailure failure) {
    adders(agent.name()).failed.increment();
  }

  /**
   * Returns what {@code agent} has delivered and failed so far, and its deliveries per second since the previous
   * call for it (since the tally started, the first time). Only the run's thread calls this.
   */
  Counts counts(String agent, long nowNanos) {
    Adders adders = adders(agent);
    long delivered = adders.delivered.sum();
    Mark previous = marks.getOrDefault(agent, new Mark(0, startNanos));
    long elapsed = nowNanos - previous.nanos();
    double perSecond = elapsed <= 0 ? 0
        : (delivered - previous.delivered()) * (double) TimeUnit.SECONDS.toNanos(1) / elapsed;
    marks.put(agent, new Mark(delivered, nowNanos));
    return new Counts(delivered, adders.failed.sum(), perSecond);
  }

  /** Returns the deliveries and failed attempts of every agent, summed; its rate is 0. */
  Counts total() {
    long delivered = 0;
    long failed = 0;
    for (Adders adders : byAgent.values()) {
      delivered += adders.delivered.sum();
      failed += adders.failed.sum();
    }
    return new Counts(delivered, failed, 0);
  }

  private Adders adders(String agent) {
    Adders adders = byAgent.get(agent);
    return adders != null ? adders : byAgent.computeIfAbsent(agent, any -> new Adders());
  }

  /**
   * An agent's counts at one moment.
   *
   * @param delivered events every sink took
   * @param failed failed delivery attempts (an event retried twice before it is delivered counts 2 here)
   * @param perSecond deliveries per second since the agent's previous progress line
   */
  record Counts(long delivered, long failed, double perSecond) {}

  private static final class Adders {
    final LongAdder delivered = new LongAdder();
    final LongAdder failed = new LongAdder();
  }

  private record Mark(long delivered, long nanos) {}

  @Override
  public String toString() {
    return "DeliveryTally" + byAgent.keySet();
  }
}
