package io.asyncagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void formatsLikeGo() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofNanos(500))).isEqualTo("500ns");
    assertThat(Durations.format(Duration.ofNanos(1_500))).isEqualTo("1.5µs");
    assertThat(Durations.format(Duration.ofMillis(150))).isEqualTo("150ms");
    assertThat(Durations.format(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Durations.format(Duration.ofHours(2).plusMinutes(45))).isEqualTo("2h45m0s");
    assertThat(Durations.format(Duration.ofSeconds(-2))).isEqualTo("-2s");
  }
}
