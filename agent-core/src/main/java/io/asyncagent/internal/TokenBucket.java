package io.asyncagent.internal;

/*
 * KrakenD's max_rate bucket (krakend-ratelimit): capacity max(1, floor(rate)), full at the start, one
 * token every 1/rate seconds. Not thread-safe: only the dispatch thread takes tokens.
 */
/** A token bucket refilled at a fixed rate. */
final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long refilledAt;

  TokenBucket(double ratePerSecond, long now) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = Math.max(1, Math.floor(ratePerSecond));
    this.tokens = capacity;
    this.refilledAt = now;
  }

  /** Takes a token if there is one at {@code now} (a {@link Ticker} reading). */
  boolean tryTake(long now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Returns how long after {@code now} the next token will be there; 0 if one is there already. */
  long nanosUntilToken(long now) {
    refill(now);
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / ratePerNano);
  }

  private void refill(long now) {
    long elapsed = now - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
      refilledAt = now;
    }
  }
}
