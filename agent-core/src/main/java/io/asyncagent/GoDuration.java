package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * Go's duration notation, the one KrakenD's configuration uses: {@code 150ms}, {@code 2s},
 * {@code 1h2m3.5s}. Messages about durations use it, so that they read like the configuration.
 */
public final class GoDuration {
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
  private static final Map<String, Long> UNIT_NANOS = Map.of(
      "ns", 1L,
      "us", 1_000L,
      "\u00b5s", 1_000L, // micro sign
      "\u03bcs", 1_000L, // Greek small letter mu
      "ms", 1_000_000L,
      "s", 1_000_000_000L,
      "m", 60_000_000_000L,
      "h", 3_600_000_000_000L);

  private GoDuration() {}

  /**
   * Parses Go's duration notation as Go's {@code time.ParseDuration} does: an optional sign, then one or
   * more decimal numbers each with a unit — {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s},
   * {@code m}, {@code h} — such as {@code 300ms}, {@code -1.5h}, {@code 2h45m}; {@code 0} needs no unit.
   * Fractions below a nanosecond are dropped, as in Go. The range is Go's: about ±292 years.
   *
   * @param text the duration in Go's notation
   * @return the duration; negative for a leading {@code -}
   * @throws IllegalArgumentException {@code not a Go duration such as "250ms" or "1m30s": "<text>"}, or
   *     {@code Go duration out of range: "<text>"}
   * @throws NullPointerException if {@code text} is null
   */
  public static Duration parse(String text) {
    requireNonNull(text, "text");
    String rest = text;
    boolean negative = false;
    if (!rest.isEmpty() && (rest.charAt(0) == '-' || rest.charAt(0) == '+')) {
      negative = rest.charAt(0) == '-';
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return Duration.ZERO;
    }
    if (rest.isEmpty()) {
      throw malformed(text);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < rest.length()) {
      int start = i;
      while (i < rest.length() && (Character.isDigit(rest.charAt(i)) && rest.charAt(i) < 128 || rest.charAt(i) == '.')) {
        i++;
      }
      String number = rest.substring(start, i);
      if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
        throw malformed(text);
      }
      int unitStart = i;
      while (i < rest.length() && !Character.isDigit(rest.charAt(i)) && rest.charAt(i) != '.') {
        i++;
      }
      Long unit = UNIT_NANOS.get(rest.substring(unitStart, i));
      if (unit == null) {
        throw malformed(text);
      }
      nanos = nanos.add(new BigDecimal(number.endsWith(".") ? number + "0" : number).multiply(BigDecimal.valueOf(unit)));
    }
    BigInteger whole = nanos.toBigInteger();
    if (whole.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException("Go duration out of range: \"" + text + "\"");
    }
    Duration duration = Duration.ofNanos(whole.longValueExact());
    return negative ? duration.negated() : duration;
  }

  private static IllegalArgumentException malformed(String text) {
    return new IllegalArgumentException("not a Go duration such as \"250ms\" or \"1m30s\": \"" + text + "\"");
  }

  /**
   * Returns {@code duration} in Go's notation, as Go's {@code time.Duration.String()} prints it:
   * {@code 0s}, {@code 500ns}, {@code 1.5µs}, {@code 150ms}, {@code 1m30s}, {@code 2h45m0s}.
   *
   * @param duration any duration, negative ones included
   * @return the duration in Go's notation, with a {@code -} when negative
   * @throws NullPointerException if {@code duration} is null
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
   * @param value the value to check
   * @return {@code value}
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
   * @param value the value to check
   * @return {@code value}
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
