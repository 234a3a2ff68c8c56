package io.asyncagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @Test
  void formatsLikeGo() {
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDuration.format(Duration.ofNanos(500))).isEqualTo("500ns");
    assertThat(GoDuration.format(Duration.ofNanos(1_500))).isEqualTo("1.5µs");
    assertThat(GoDuration.format(Duration.ofMillis(150))).isEqualTo("150ms");
    assertThat(GoDuration.format(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(GoDuration.format(Duration.ofHours(2).plusMinutes(45))).isEqualTo("2h45m0s");
    assertThat(GoDuration.format(Duration.ofSeconds(-2))).isEqualTo("-2s");
  }
}
