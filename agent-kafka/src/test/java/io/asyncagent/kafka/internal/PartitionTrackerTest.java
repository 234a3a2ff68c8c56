package io.asyncagent.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.Event;
import io.asyncagent.spi.Ticket;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionTrackerTest {
  private final PartitionTracker tracker = new PartitionTracker(new TopicPartition("t", 0));
  private final List<FakeTicket> tickets = new ArrayList<>();

  private long admit(long offset) {
    long sequence = tracker.nextSequence();
    FakeTicket ticket = new FakeTicket(offset);
    tickets.add(ticket);
    tracker.admitted(offset, ticket);
    return sequence;
  }

  @Test
  void commitsNothingBeforeTheFirstEventCompletes() {
    admit(10);
    admit(11);

    assertThat(tracker.uncommitted()).isEmpty();
  }

  @Test
  void commitsOnlyTheContiguousPrefix() {
    long s10 = admit(10);
    long s11 = admit(11);
    long s12 = admit(12);

    tracker.completed(s12);
    assertThat(tracker.uncommitted()).as("12 done, 10 and 11 not").isEmpty();
    tracker.completed(s10);
    assertThat(tracker.uncommitted()).isEqualTo(OptionalLong.of(11));
    tracker.completed(s11);
    assertThat(tracker.uncommitted()).isEqualTo(OptionalLong.of(13));
    assertThat(tracker.settled()).isTrue();
  }

  @Test
  void stepsOverGapsInOffsets() {
    long s5 = admit(5);
    long s9 = admit(9); // 6..8 compacted away or transaction markers

    tracker.completed(s9);
    tracker.completed(s5);

    assertThat(tracker.uncommitted()).isEqualTo(OptionalLong.of(10));
  }

  @Test
  void offersAnOffsetOnlyOnceUntilItMovesAgain() {
    long s0 = admit(0);
    tracker.completed(s0);
    tracker.markCommitted(1);

    assertThat(tracker.uncommitted()).isEmpty();
    tracker.completed(admit(1));
    assertThat(tracker.uncommitted()).isEqualTo(OptionalLong.of(2));
  }

  @Test
  void keepsTrackAcrossManyMoreEventsThanItsInitialRing() {
    List<Long> sequences = new ArrayList<>();
    for (long offset = 0; offset < 1000; offset++) {
      sequences.add(admit(offset));
    }
    for (int i = sequences.size() - 1; i >= 1; i--) {
      tracker.completed(sequences.get(i));
    }
    assertThat(tracker.uncommitted()).isEmpty();
    assertThat(tracker.outstanding()).isEqualTo(1);

    tracker.completed(sequences.get(0));

    assertThat(tracker.uncommitted()).isEqualTo(OptionalLong.of(1000));
    assertThat(tracker.outstanding()).isZero();
  }

  @Test
  void withdrawnEventsStopThePrefixAndCountAsSettled() {
    long s0 = admit(0);
    admit(1);
    long s2 = admit(2);
    tickets.get(0).started = true;
    tickets.get(2).started = true;

    tracker.cancelQueued();
    assertThat(tickets.get(1).cancelled).isTrue();
    assertThat(tracker.settled()).isFalse();
    tracker.completed(s0);
    tracker.completed(s2);

    assertThat(tracker.settled()).isTrue();
    assertThat(tracker.uncommitted()).as("never past the withdrawn offset 1").isEqualTo(OptionalLong.of(1));
  }

  @Test
  void ignoresCompletionsOnceRetired() {
    long s0 = admit(0);
    tracker.retire();

    tracker.completed(s0);

    assertThat(tracker.uncommitted()).isEmpty();
  }

  @Test
  void rejectsACompletionItNeverAdmitted() {
    admit(0);

    assertThatThrownBy(() -> tracker.completed(5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("t-0: completion of unknown sequence 5 (outstanding 0..0)");
  }

  private static final class FakeTicket implements Ticket {
    private final long offset;
    boolean started;
    boolean cancelled;

    FakeTicket(long offset) {
      this.offset = offset;
    }

    @Override
    public Event event() {
      return Event.builder("t", 0, offset).build();
    }

    @Override
    public boolean cancel() {
      if (started) {
        return false;
      }
      cancelled = true;
      return true;
    }
  }
}
