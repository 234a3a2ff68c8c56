package io.asyncagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffStrategyTest {

  @Test
  void followsKrakendsFormulas() {
    for (int i = 0; i < 5; i++) {
      assertThat(BackoffStrategy.FALLBACK.delay(i)).isEqualTo(Duration.ofSeconds(1));
      assertThat(BackoffStrategy.LINEAR.delay(i)).isEqualTo(Duration.ofSeconds(i));
      assertThat(BackoffStrategy.EXPONENTIAL.delay(i)).isEqualTo(Duration.ofSeconds(1L << i));
    }
  }

  @Test
  void jittersByAThirdPlusAMillisecondEitherWay() {
    // exponential-jitter at attempt 2: 4000 ms, max jitter 4000/3 + 1 = 1334 ms, random in [0, 2668).
    assertThat(BackoffStrategy.EXPONENTIAL_JITTER.delay(2, bound -> 0)).isEqualTo(Duration.ofMillis(4000 - 1334));
    assertThat(BackoffStrategy.EXPONENTIAL_JITTER.delay(2, bound -> bound - 1))
        .isEqualTo(Duration.ofMillis(4000 + 1334 - 1));
    assertThat(BackoffStrategy.LINEAR_JITTER.delay(3, bound -> bound / 2)).isEqualTo(Duration.ofMillis(3000));
  }

  @Test
  void neverJittersBelowOneMillisecond() {
    // linear-jitter at attempt 0: 0 ms, max jitter 1 ms; KrakenD turns a result <= 0 into 1 ms.
    assertThat(BackoffStrategy.LINEAR_JITTER.delay(0, bound -> 0)).isEqualTo(Duration.ofMillis(1));
    assertThat(BackoffStrategy.LINEAR_JITTER.delay(0, bound -> bound - 1)).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void doesNotOverflowForLargeAttempts() {
    assertThat(BackoffStrategy.EXPONENTIAL.delay(500)).isEqualTo(Duration.ofSeconds(1L << 40));
  }

  @Test
  void rejectsANegativeAttempt() {
    assertThatThrownBy(() -> BackoffStrategy.LINEAR.delay(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempt must be >= 0, but was -1");
  }

  @Test
  void knowsKrakendsNames() {
    assertThat(BackoffStrategy.EXPONENTIAL_JITTER.krakendName()).isEqualTo("exponential-jitter");
    assertThat(BackoffStrategy.LINEAR_JITTER.krakendName()).isEqualTo("linear-jitter");
  }
}
