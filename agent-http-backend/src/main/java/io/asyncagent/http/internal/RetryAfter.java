package io.asyncagent.http.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads HTTP's {@code Retry-After} (RFC 9110 §10.2.3): a number of seconds, or a date. */
final class RetryAfter {
  private RetryAfter() {}

  /**
   * Returns the wait a {@code Retry-After} value asks for at {@code now}; empty when absent or not
   * readable. A date in the past asks for no wait.
   */
  static Optional<Duration> parse(Optional<String> header, Instant now) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().strip();
    if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
      return value.length() > 9 ? Optional.of(Duration.ofSeconds(999_999_999)) : Optional.of(Duration.ofSeconds(
          Long.parseLong(value)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException unreadable) {
      return Optional.empty();
    }
  }
}
