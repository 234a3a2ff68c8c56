package io.asyncagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private static int take(TokenBucket bucket, long now) {
    int taken = 0;
    while (bucket.tryTake(now)) {
      taken++;
    }
    return taken;
  }

  @Test
  void startsFullWithTheFloorOfTheRate() {
    assertThat(take(new TokenBucket(20, 0), 0)).isEqualTo(20);
    assertThat(take(new TokenBucket(2.7, 0), 0)).isEqualTo(2);
  }

  @Test
  void refillsAtTheRateUpToItsCapacity() {
    TokenBucket bucket = new TokenBucket(20, 0);
    take(bucket, 0);

    assertThat(take(bucket, SECOND / 2)).isEqualTo(10);
    assertThat(take(bucket, 10 * SECOND)).as("capped at 20").isEqualTo(20);
  }

  @Test
  void handlesRatesBelowOnePerSecond() {
    TokenBucket bucket = new TokenBucket(0.5, 0);

    assertThat(take(bucket, 0)).as("capacity max(1, floor(0.5))").isEqualTo(1);
    assertThat(bucket.nanosUntilToken(0)).isEqualTo(2 * SECOND);
    assertThat(take(bucket, SECOND)).isZero();
    assertThat(take(bucket, 2 * SECOND)).isEqualTo(1);
  }
}
