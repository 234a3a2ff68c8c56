package io.asyncagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  @Test
  void parsesEveryUnitAndCombinationGoAccepts() {
    assertThat(GoDuration.parse("300ms")).isEqualTo(Duration.ofMillis(300));
    assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("2h45m")).isEqualTo(Duration.ofHours(2).plusMinutes(45));
    assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDuration.parse("250ns")).isEqualTo(Duration.ofNanos(250));
    assertThat(GoDuration.parse("7us")).isEqualTo(Duration.ofNanos(7_000));
    assertThat(GoDuration.parse("7\u00b5s")).isEqualTo(Duration.ofNanos(7_000));
    assertThat(GoDuration.parse("7\u03bcs")).isEqualTo(Duration.ofNanos(7_000));
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("0s")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("+5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(GoDuration.parse("-1.5s")).isEqualTo(Duration.ofMillis(-1500));
    assertThat(GoDuration.parse(".5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("1.s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(GoDuration.parse("1.0000000009s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(GoDuration.parse("1h1m1s1ms1us1ns")).isEqualTo(Duration.ofSeconds(3661, 1_001_001));
  }

  @Test
  void parsesWhatItFormats() {
    for (Duration d : new Duration[] {Duration.ofNanos(1_500), Duration.ofMillis(150), Duration.ofSeconds(90),
        Duration.ofHours(2).plusMinutes(45), Duration.ofSeconds(-2), Duration.ofSeconds(3661, 5)}) {
      assertThat(GoDuration.parse(GoDuration.format(d))).isEqualTo(d);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "1", "10", "s", ".s", "1..5s", "1.5.5s", "5sec", "5 s", " 5s", "5S", "1d", "1h-5m", "--1s", "\u0661s"})
  void rejectsWhatGoRejects(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GoDuration.parse(text))
        .withMessage("not a Go duration such as \"250ms\" or \"1m30s\": \"" + text + "\"");
  }

  @Test
  void rejectsDurationsBeyondGosRange() {
    assertThat(GoDuration.parse("2562047h")).isEqualTo(Duration.ofHours(2562047));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GoDuration.parse("2562048h"))
        .withMessage("Go duration out of range: \"2562048h\"");
  }
}
