package io.asyncagent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void printsAsStarsWhateverItHolds() {
    Secret secret = Secret.of("myp4ssword");

    assertThat(secret).hasToString("****");
    assertThat(String.valueOf(secret)).doesNotContain("myp4ssword");
    assertThat(secret.reveal()).isEqualTo("myp4ssword");
  }

  @Test
  void comparesByValue() {
    assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).hasSameHashCodeAs(Secret.of("a"));
    assertThat(Secret.of("a")).isNotEqualTo(Secret.of("b"));
  }
}
