package io.asyncagent.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Admission is two counters, events (bounded by workers + bufferSize) and bytes (bounded by
 * maxBufferedBytes). A full buffer refuses the offer and remembers that someone is waiting, and the release
 * that brings both down to half wakes the driver through its capacity listener. So the poll thread never
 * blocks, and the driver is not woken once per freed event.
 */
/** The bound on an agent's admitted events and bytes, and the signal that there is room again. */
final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);
  private static final Runnable NO_LISTENER = () -> {};

  private final String agentName;
  private final int capacity;
  private final int lowWatermark;
  private final long maxBytes;
  private final long lowBytes;
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicLong admittedBytes = new AtomicLong();
  private volatile Runnable capacityListener = NO_LISTENER;
  private volatile boolean capacityWanted;

  Admission(String agentName, int capacity, long maxBytes) {
    this.agentName = agentName;
    this.capacity = capacity;
    this.lowWatermark = capacity / 2;
    this.maxBytes = maxBytes;
    this.lowBytes = maxBytes / 2;
  }

  int capacity() {
    return capacity;
  }

  /** Returns how many events are admitted and not yet released. */
  int events() {
    return admitted.get();
  }

  /** Returns the bytes of the events admitted and not yet released. */
  long bytes() {
    return admittedBytes.get();
  }

  void setCapacityListener(Runnable listener) {
    this.capacityListener = listener == null ? NO_LISTENER : listener;
  }

  /** Admits an event of {@code bytes} if both bounds allow it. */
  boolean tryAdmit(int bytes) {
    for (;;) {
      int current = admitted.get();
      if (current >= capacity) {
        return refuse();
      }
      if (admitted.compareAndSet(current, current + 1)) {
        break;
      }
    }
    for (;;) {
      long current = admittedBytes.get();
      // An event larger than the cap alone is admitted when nothing else holds bytes, or it would never be.
      if (current > 0 && current + bytes > maxBytes) {
        admitted.decrementAndGet();
        return refuse();
      }
      if (admittedBytes.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  /** Releases an admitted event of {@code bytes}; wakes the driver if it waits and half is free. */
  void release(int bytes) {
    long remainingBytes = admittedBytes.addAndGet(-bytes);
    int events = admitted.decrementAndGet();
    if (capacityWanted && events <= lowWatermark && remainingBytes <= lowBytes) {
      signalCapacity();
    }
  }

  /**
   * Refuses an offer and raises the flag that makes a release wake the driver. Re-reads after raising it:
   * a release between the full reading and the flag would not have seen the flag, and its room would go
   * unnoticed; in that case the offer is refused all the same, and the caller is told at once.
   */
  private boolean refuse() {
    capacityWanted = true;
    if (admitted.get() <= lowWatermark && admittedBytes.get() <= lowBytes) {
      signalCapacity();
    }
    return false;
  }

  private void signalCapacity() {
    capacityWanted = false;
    try {
      capacityListener.run();
    } catch (Throwable bug) {
      log.error("agent '{}': the driver's capacity listener threw; this is a bug in the driver", agentName, bug);
    }
  }
}
