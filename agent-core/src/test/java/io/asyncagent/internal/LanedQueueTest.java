package io.asyncagent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.Event;
import io.asyncagent.Ordering;
import org.junit.jupiter.api.Test;

class LanedQueueTest {

  private static DeliveryTask task(int partition, long offset, String key) {
    Event event = Event.builder("t", partition, offset).key(key == null ? null : key.getBytes(UTF_8)).build();
    return new DeliveryTask(event, () -> {}, null);
  }

  @Test
  void makesOnlyTheHeadOfEachKeyReadyAndTheNextOneWhenItIsFinished() {
    LanedQueue queue = new LanedQueue(Ordering.KEY);
    DeliveryTask a0 = task(0, 0, "a");
    DeliveryTask a1 = task(0, 1, "a");
    DeliveryTask b2 = task(0, 2, "b");
    DeliveryTask none3 = task(0, 3, null);

    queue.add(a0);
    queue.add(a1);
    queue.add(b2);
    queue.add(none3);

    assertThat(queue.poll()).isSameAs(a0);
    assertThat(queue.poll()).isSameAs(b2);
    assertThat(queue.poll()).as("no key: no lane").isSameAs(none3);
    assertThat(queue.poll()).as("a1 waits behind a0").isNull();
    queue.finished(a0);
    assertThat(queue.poll()).isSameAs(a1);
  }

  @Test
  void dropsALaneOnceItsLastEventIsFinished() {
    LanedQueue queue = new LanedQueue(Ordering.PARTITION);
    DeliveryTask first = task(0, 0, "a");
    DeliveryTask second = task(0, 1, "b");
    DeliveryTask other = task(1, 0, "a");
    queue.add(first);
    queue.add(second);
    queue.add(other);
    assertThat(queue.lanes()).isEqualTo(2);

    queue.finished(queue.poll());
    queue.finished(queue.poll());
    queue.finished(queue.poll());

    assertThat(queue.lanes()).isZero();
    assertThat(queue.poll()).isNull();
  }

  @Test
  void refusesToFinishAnEventThatDoesNotHeadItsLane() {
    LanedQueue queue = new LanedQueue(Ordering.KEY);
    DeliveryTask head = task(0, 0, "a");
    DeliveryTask behind = task(0, 1, "a");
    queue.add(head);
    queue.add(behind);

    assertThatThrownBy(() -> queue.finished(behind))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("finished " + behind + ", which does not head its lane");
  }
}
