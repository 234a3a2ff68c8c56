package io.asyncagent.internal;

import io.asyncagent.AgentListener;
import io.asyncagent.AsyncAgent;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryFailure;
import io.asyncagent.Event;
import io.asyncagent.Partition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Writes down every per-event call, {@code started} and {@code committed}, and the thread of each. */
class RecordingListener implements AgentListener {
  final List<String> calls = new CopyOnWriteArrayList<>();
  final Map<String, String> threads = new ConcurrentHashMap<>();
  final List<DeliveryAttempt> attempts = new CopyOnWriteArrayList<>();
  final List<Duration> delays = new CopyOnWriteArrayList<>();

  private void add(String call) {
    calls.add(call);
    threads.put(call, Thread.currentThread().getName());
  }

  @Override
  public void started(AsyncAgent agent) {
    add("started " + agent.name());
  }

  @Override
  public void received(AsyncAgent agent, Event event) {
    add("received " + event.coordinates());
  }

  @Override
  public void delivered(AsyncAgent agent, DeliveryAttempt attempt) {
    attempts.add(attempt);
    add("delivered " + attempt.event().coordinates() + " #" + attempt.number());
  }

  @Override
  public void failed(AsyncAgent agent, DeliveryAttempt attempt, DeliveryFailure failure) {
    attempts.add(attempt);
    add("failed " + attempt.event().coordinates() + " #" + attempt.number() + " " + failure.reason()
        + failure.status().stream().mapToObj(status -> " " + status).findFirst().orElse("") + " " + failure.next());
  }

  @Override
  public void retryScheduled(AsyncAgent agent, Event event, int attempt, Duration delay) {
    delays.add(delay);
    add("retryScheduled " + event.coordinates() + " #" + attempt);
  }

  @Override
  public void deadLettered(AsyncAgent agent, Event event, DeliveryFailure failure) {
    add("deadLettered " + event.coordinates() + " " + failure.reason());
  }

  @Override
  public void committed(AsyncAgent agent, Partition partition, long offset) {
    add("committed " + partition + " " + offset);
  }

  /** Returns the last call, or an empty string when there was none. */
  String last() {
    return calls.isEmpty() ? "" : calls.get(calls.size() - 1);
  }
}
