package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Go's duration notation, the one KrakenD's configuration uses: {@code 150ms}, {@code 2s},
 * {@code 1h2m3.5s}. Messages about durations use it, so that they read like the configuration.
 */
public final class GoDuration {
  private GoDuration() {}

  /**
   * Returns {@code duration} in Go's notation, as Go's {@code time.Duration.String()} prints it:
   * {@code 0s}, {@code 500ns}, {@code 1.5µs}, {@code 150ms}, {@code 1m30s}, {@code 2h45m0s}.
   */
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

  /**
   * Returns {@code value} if it is positive; the check every builder makes of a timeout or an interval.
   *
   * @param field the setting's name, as messages give it, such as {@code timeout}
   * @throws NullPointerException naming {@code field} if {@code value} is null
   * @throws IllegalArgumentException {@code <field> must be > 0, but was <value>} otherwise
   */
  public static Duration requirePositive(String field, Duration value) {
    requireNonNull(value, field);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + " must be > 0, but was " + format(value));
    }
    return value;
  }

  /**
   * Returns {@code value} if it is not negative.
   *
   * @param field the setting's name, as messages give it, such as {@code drainTimeout}
   * @throws NullPointerException naming {@code field} if {@code value} is null
   * @throws IllegalArgumentException {@code <field> must be >= 0, but was <value>} otherwise
   */
  public static Duration requireNonNegative(String field, Duration value) {
    requireNonNull(value, field);
    if (value.isNegative()) {
      throw new IllegalArgumentException(field + " must be >= 0, but was " + format(value));
    }
    return value;
  }
}
