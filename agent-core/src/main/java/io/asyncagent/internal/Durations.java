package io.asyncagent.internal;

import java.math.BigDecimal;
import java.time.Duration;

/** Formats durations the way KrakenD users write them: {@code 150ms}, {@code 2s}, {@code 1h2m3.5s}. */
public final class Durations {
  private Durations() {}

  /** Returns {@code duration} in Go's notation, as {@code time.Duration.String()} prints it. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    if (seconds == 0) {
      if (nanos < 1_000) {
        return nanos + "ns";
      }
      if (nanos < 1_000_000) {
        return decimal(nanos, 3) + "µs";
      }
      return decimal(nanos, 6) + "ms";
    }
    StringBuilder out = new StringBuilder();
    long hours = seconds / 3600;
    long minutes = (seconds % 3600) / 60;
    long secs = seconds % 60;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    out.append(decimal(secs * 1_000_000_000L + nanos, 9)).append('s');
    return out.toString();
  }

  private static String decimal(long value, int scale) {
    return BigDecimal.valueOf(value, scale).stripTrailingZeros().toPlainString();
  }
}
