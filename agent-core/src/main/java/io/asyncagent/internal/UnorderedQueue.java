package io.asyncagent.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** No order: every admitted event is ready at once. Lock-free. */
final class UnorderedQueue implements ReadyQueue {
  private final Queue<DeliveryTask> ready = new ConcurrentLinkedQueue<>();

  @Override
  public void add(DeliveryTask task) {
    ready.add(task);
  }

  @Override
  public DeliveryTask poll() {
    return ready.poll();
  }

  @Override
  public void retry(DeliveryTask task) {
    ready.add(task);
  }

  @Override
  public void finished(DeliveryTask task) {
    // no lanes
  }
}
