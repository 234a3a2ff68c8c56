package io.asyncagent.testkit;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** The names behind {@link EmbeddedKafka#uniqueTopic(String)} and {@link EmbeddedKafka#uniqueGroup(String)}. */
final class UniqueNames {
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final Pattern PREFIX = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

  private UniqueNames() {}

  /** Returns {@code prefix-<counter>-<6 random hex digits>}, after checking {@code prefix}. */
  static String next(String prefix) {
    requireNonNull(prefix, "prefix");
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("prefix must be 1 to 200 of a-z A-Z 0-9 . _ -, but was '" + prefix + "'");
    }
    String random = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    return prefix + "-" + COUNTER.incrementAndGet() + "-" + random;
  }
}
