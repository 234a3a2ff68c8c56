package io.asyncagent.internal;

import io.asyncagent.Ordering;

/**
 * The admitted events that may take a worker next. With ordering, an event is ready only when it heads
 * its lane, so a lane has at most one event ready, in flight or waiting for a retry at any time.
 */
interface ReadyQueue {

  /** Takes a newly admitted event. */
  void add(DeliveryTask task);

  /** Returns the next ready event, or null. Only the dispatch thread calls it. */
  DeliveryTask poll();

  /** Takes back an event due for another attempt; it still heads its lane. */
  void retry(DeliveryTask task);

  /** Hears that an event is done or cancelled: the next of its lane becomes ready. */
  void finished(DeliveryTask task);

  /** Returns the queue for {@code ordering}. */
  static ReadyQueue of(Ordering ordering) {
    return ordering == Ordering.UNORDERED ? new UnorderedQueue() : new LanedQueue(ordering);
  }
}
