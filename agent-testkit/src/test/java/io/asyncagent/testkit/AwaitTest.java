package io.asyncagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
  @Test
  void returnsAsSoonAsTheConditionHolds() {
    AtomicInteger checks = new AtomicInteger();

    Await.until(Duration.ofSeconds(10), () -> checks.incrementAndGet() == 3, "the third check");

    assertThat(checks.get()).isEqualTo(3);
  }

  @Test
  void timesOutNamingWhatItAwaited() {
    assertThatThrownBy(() -> Await.until(Duration.ofMillis(50), () -> false, () -> "1000 records"))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage("timed out after PT0.05S waiting for 1000 records");
  }

  @Test
  void zeroTimeoutChecksOnce() {
    AtomicInteger checks = new AtomicInteger();

    assertThatThrownBy(() -> Await.until(Duration.ZERO, () -> checks.incrementAndGet() < 0, "never"))
        .hasMessage("timed out after PT0S waiting for never");
    assertThat(checks.get()).isEqualTo(1);
  }

  @Test
  void propagatesExceptionsFromTheCondition() {
    IllegalStateException failure = new IllegalStateException("broken");

    assertThatThrownBy(
            () ->
                Await.until(
                    Duration.ofSeconds(1),
                    () -> {
                      throw failure;
                    },
                    "anything"))
        .isSameAs(failure);
  }

  @Test
  void rejectsANegativeTimeout() {
    assertThatThrownBy(() -> Await.until(Duration.ofMillis(-1), () -> true, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be >= 0, but was PT-0.001S");
  }
}
