package io.asyncagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionPolicyTest {

  @Test
  void defaultsToKrakendsUnlimitedFallbackRetries() {
    ConnectionPolicy policy = ConnectionPolicy.defaults();

    assertThat(policy.maxRetries()).isZero();
    assertThat(policy.allowsAttempt(1_000_000)).isTrue();
    assertThat(policy.backoff()).isEqualTo(BackoffStrategy.FALLBACK);
    assertThat(policy.healthInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy).hasToString(
        "ConnectionPolicy{maxRetries=unlimited, backoff=fallback, maxBackoff=1m0s, healthInterval=1s}");
  }

  @Test
  void allowsMaxRetriesPlusOneAttempts() {
    ConnectionPolicy policy = ConnectionPolicy.builder().maxRetries(2).build();

    assertThat(policy.allowsAttempt(2)).isTrue();
    assertThat(policy.allowsAttempt(3)).isFalse();
  }

  @Test
  void makesTheFirstAttemptAtOnceAndCapsTheOthers() {
    ConnectionPolicy policy = ConnectionPolicy.builder().backoff(BackoffStrategy.EXPONENTIAL)
        .maxBackoff(Duration.ofSeconds(5)).build();

    assertThat(policy.delayBefore(0)).isZero();
    assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void rejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> ConnectionPolicy.builder().maxRetries(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connection.maxRetries must be >= 0, but was -1");
    assertThatThrownBy(() -> ConnectionPolicy.builder().healthInterval(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connection.healthInterval must be >= 1s, but was 500ms");
    assertThatThrownBy(() -> ConnectionPolicy.builder().maxBackoff(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connection.maxBackoff must be > 0, but was 0s");
  }

  @Test
  void comparesByValueAndCopiesThroughToBuilder() {
    ConnectionPolicy policy = ConnectionPolicy.builder().maxRetries(10).backoff(BackoffStrategy.LINEAR).build();

    assertThat(policy.toBuilder().build()).isEqualTo(policy).hasSameHashCodeAs(policy);
    assertThat(policy.toBuilder().maxRetries(11).build()).isNotEqualTo(policy);
  }
}
