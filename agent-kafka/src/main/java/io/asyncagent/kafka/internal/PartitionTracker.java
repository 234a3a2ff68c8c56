package io.asyncagent.kafka.internal;

import io.asyncagent.spi.Ticket;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/*
 * The offset tracker of one assigned partition (DESIGN invariant 1: no offset is committed past an event
 * whose pipeline has not completed).
 *
 * Events are admitted in offset order and complete in any order. Each admitted event gets the next
 * sequence number and a place in a ring; completing marks the place, and the head of the ring advances
 * over every completed place at its front. The committable position is one past the last offset the head
 * passed — the contiguous prefix. Offsets within a partition need not be contiguous (compaction,
 * transaction markers), which is why the ring keeps the offsets and not only flags.
 *
 * Only the poll thread touches a tracker; completions reach it through the session's queue. A tracker
 * belongs to one assignment: when its partition is revoked or lost it is retired, and completions that
 * arrive later are ignored — the next owner of the partition re-reads from the committed position.
 */
/** Tracks which offsets of one partition have completed, and how far it is safe to commit. */
final class PartitionTracker {
  private final TopicPartition partition;
  private long[] offsets = new long[64];
  private boolean[] done = new boolean[64];
  private Ticket[] tickets = new Ticket[64];
  private int head; // ring index of the oldest outstanding event
  private int size; // outstanding events
  private long headSequence; // sequence number of the event at head
  private int open; // admitted events neither completed nor withdrawn
  private long committable = -1; // next offset to commit, or -1 before anything completed
  private long committed = -1; // last offset committed, or -1
  private boolean retired;

  PartitionTracker(TopicPartition partition) {
    this.partition = partition;
  }

  TopicPartition partition() {
    return partition;
  }

  /** Returns the sequence number the next admitted event will get. */
  long nextSequence() {
    return headSequence + size;
  }

  /** Records an admitted event; it receives {@link #nextSequence()}. Offsets must increase. */
  void admitted(long offset, Ticket ticket) {
    if (size == offsets.length) {
      grow();
    }
    int index = (head + size) % offsets.length;
    offsets[index] = offset;
    done[index] = false;
    tickets[index] = ticket;
    size++;
    open++;
  }

  /** Records that the event with {@code sequence} has been processed; ignored once retired. */
  void completed(long sequence) {
    if (retired) {
      return;
    }
    long distance = sequence - headSequence;
    if (distance < 0 || distance >= size) {
      throw new IllegalStateException(partition + ": completion of unknown sequence " + sequence
          + " (outstanding " + headSequence + ".." + (headSequence + size - 1) + ")");
    }
    int index = (int) ((head + distance) % offsets.length);
    if (done[index]) {
      throw new IllegalStateException(partition + ": sequence " + sequence + " completed twice");
    }
    done[index] = true;
    open--;
    while (size > 0 && done[head]) {
      committable = offsets[head] + 1;
      tickets[head] = null;
      head = (head + 1) % offsets.length;
      headSequence++;
      size--;
    }
  }

  /**
   * Withdraws every event whose delivery has not started. Withdrawn events never complete, so the
   * committable position stops before the first of them. Newest first: withdrawing an ordering lane's head
   * lets the lane move on, and it must find only withdrawn events behind it.
   */
  void cancelQueued() {
    for (int i = size - 1; i >= 0; i--) {
      int index = (head + i) % offsets.length;
      Ticket ticket = tickets[index];
      if (ticket != null && !done[index] && ticket.cancel()) {
        tickets[index] = null;
        open--;
      }
    }
  }

  /** Returns whether every admitted event has completed or was withdrawn. */
  boolean settled() {
    return open == 0;
  }

  /** Returns how many admitted events have neither completed nor been withdrawn. */
  int outstanding() {
    return open;
  }

  /** Returns the offset to commit, if it moved past the last one committed. */
  OptionalLong uncommitted() {
    return committable > committed ? OptionalLong.of(committable) : OptionalLong.empty();
  }

  void markCommitted(long offset) {
    committed = Math.max(committed, offset);
  }

  /** Stops accepting completions: the partition belongs to someone else now. */
  void retire() {
    retired = true;
  }

  private void grow() {
    int length = offsets.length;
    long[] newOffsets = new long[length * 2];
    boolean[] newDone = new boolean[length * 2];
    Ticket[] newTickets = new Ticket[length * 2];
    for (int i = 0; i < size; i++) {
      int index = (head + i) % length;
      newOffsets[i] = offsets[index];
      newDone[i] = done[index];
      newTickets[i] = tickets[index];
    }
    offsets = newOffsets;
    done = newDone;
    tickets = newTickets;
    head = 0;
  }

  @Override
  public String toString() {
    return partition + "{outstanding=" + outstanding() + ", committable=" + committable + ", committed=" + committed + "}";
  }
}
