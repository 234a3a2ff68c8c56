package io.asyncagent.internal;

import io.asyncagent.Event;
import io.asyncagent.Ordering;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/*
 * Lanes for PARTITION and KEY ordering. A lane is the queue of its admitted events, in offset order; only
 * its head is ever ready, in flight or waiting for a retry. When the head is finished — done, or cancelled
 * — the next becomes ready; an empty lane is dropped, so the map holds only lanes with events. Events
 * without a key, in KEY mode, have no lane and are ready at once.
 *
 * One lock guards it all: the poll thread adds, the dispatch thread polls, completing threads finish;
 * each holds it for a few map and deque operations.
 */
/** A {@link ReadyQueue} with ordering lanes. */
final class LanedQueue implements ReadyQueue {
  private final Ordering ordering;
  private final ArrayDeque<DeliveryTask> ready = new ArrayDeque<>();
  private final Map<Object, ArrayDeque<DeliveryTask>> lanes = new HashMap<>();

  LanedQueue(Ordering ordering) {
    this.ordering = ordering;
  }

  private record Lane(String topic, int partition, ByteBuffer key) {}

  private Object laneOf(Event event) {
    if (ordering == Ordering.PARTITION) {
      return new Lane(event.topic(), event.partition(), null);
    }
    return event.key().map(key -> (Object) new Lane(event.topic(), event.partition(), ByteBuffer.wrap(key)))
        .orElse(null);
  }

  @Override
  public synchronized void add(DeliveryTask task) {
    Object lane = laneOf(task.event);
    task.lane = lane;
    if (lane == null) {
      ready.add(task);
      return;
    }
    ArrayDeque<DeliveryTask> queue = lanes.computeIfAbsent(lane, any -> new ArrayDeque<>());
    queue.add(task);
    if (queue.size() == 1) {
      ready.add(task);
    }
  }

  @Override
  public synchronized DeliveryTask poll() {
    return ready.poll();
  }

  @Override
  public synchronized void retry(DeliveryTask task) {
    ready.addFirst(task);
  }

  @Override
  public synchronized void finished(DeliveryTask task) {
    if (task.lane == null) {
      return;
    }
    ArrayDeque<DeliveryTask> queue = lanes.get(task.lane);
    if (queue == null || queue.peekFirst() != task) {
      throw new IllegalStateException("finished " + task + ", which does not head its lane");
    }
    queue.pollFirst();
    DeliveryTask next = queue.peekFirst();
    if (next == null) {
      lanes.remove(task.lane);
    } else {
      ready.add(next);
    }
  }

  /** Returns how many lanes hold events; for tests. */
  synchronized int lanes() {
    return lanes.size();
  }
}
