package io.asyncagent.krakend;

import io.asyncagent.AsyncAgent;
import io.asyncagent.FailurePolicy;
import io.asyncagent.GoDuration;
import io.asyncagent.Ordering;
import io.asyncagent.spi.ConfigNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads this library's own namespace in an agent's {@code extra_config}, {@code "asyncagent"}: the settings
 * KrakenD does not have. Each value goes through the builder setter that checks it.
 *
 * <pre>{@code
 * "asyncagent": {
 *   "ordering": "key",
 *   "buffer_size": 512, "max_buffered_bytes": 67108864,
 *   "start_timeout": "30s", "drain_timeout": "10s",
 *   "on_failure": {"mode": "retry", "max_attempts": 5, "initial_backoff": "200ms", "max_backoff": "30s",
 *                  "max_retry_after": "1m"}
 * }
 * }</pre>
 */
final class OwnSettingsReader {
  static final List<String> FIELDS = List.of("buffer_size", "drain_timeout", "max_buffered_bytes", "on_failure",
      "ordering", "start_timeout");
  static final List<String> ON_FAILURE_FIELDS = List.of("initial_backoff", "max_attempts", "max_backoff",
      "max_retry_after", "mode");
  private static final List<String> RETRY_FIELDS = List.of("max_attempts", "initial_backoff", "max_backoff",
      "max_retry_after");

  private OwnSettingsReader() {}

  static void read(ConfigNode own, AgentParts parts) {
    own.rejectUnknown(FIELDS);
    // A builder of our own checks each value with the rules (and messages) of AsyncAgent.Builder.
    AsyncAgent.Builder check = AsyncAgent.builder();
    own.convert("ordering", own.string("ordering"), OwnSettingsReader::ordering)
        .ifPresent(ordering -> parts.ordering = ordering);
    own.apply("buffer_size", own.integer("buffer_size"), size -> {
      check.bufferSize(size);
      parts.bufferSize = size;
    });
    own.apply("max_buffered_bytes", own.longInteger("max_buffered_bytes"), bytes -> {
      check.maxBufferedBytes(bytes);
      parts.maxBufferedBytes = bytes;
    });
    own.apply("start_timeout", own.duration("start_timeout"), timeout -> {
      check.startTimeout(timeout);
      parts.startTimeout = timeout;
    });
    own.apply("drain_timeout", own.duration("drain_timeout"), timeout -> {
      check.drainTimeout(timeout);
      parts.drainTimeout = timeout;
    });
    own.object("on_failure").flatMap(OwnSettingsReader::onFailure).ifPresent(policy -> parts.onFailure = policy);
  }

  static Ordering ordering(String name) {
    return Arrays.stream(Ordering.values())
        .filter(ordering -> ordering.name().toLowerCase(Locale.ROOT).equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("must be one of " + Arrays.stream(Ordering.values())
            .map(ordering -> ordering.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
            + ", but was \"" + name + "\""));
  }

  private static Optional<FailurePolicy> onFailure(ConfigNode node) {
    node.rejectUnknown(ON_FAILURE_FIELDS);
    if (!node.has("mode")) {
      node.report("mode", "is required: skip or retry");
      return Optional.empty();
    }
    Optional<String> mode = node.string("mode");
    if (mode.isEmpty()) {
      return Optional.empty();
    }
    switch (mode.get()) {
      case "skip":
        RETRY_FIELDS.stream().filter(node::has)
            .forEach(field -> node.report(field, "applies only when mode is retry, but mode is skip"));
        return Optional.of(FailurePolicy.skip());
      case "retry":
        return retry(node);
      default:
        node.report("mode", "must be skip or retry, but was " + ConfigNode.describe(mode.get()));
        return Optional.empty();
    }
  }

  private static Optional<FailurePolicy> retry(ConfigNode node) {
    int before = node.problemCount();
    FailurePolicy.Builder policy = FailurePolicy.retry();
    FailurePolicy defaults = policy.build();
    node.apply("max_attempts", node.integer("max_attempts"), policy::maxAttempts);
    int beforeBackoff = node.problemCount();
    Optional<Duration> initial = node.convert("initial_backoff", node.duration("initial_backoff"),
        backoff -> GoDuration.requirePositive("initial_backoff", backoff));
    Optional<Duration> max = node.convert("max_backoff", node.duration("max_backoff"),
        backoff -> GoDuration.requirePositive("max_backoff", backoff));
    if ((initial.isPresent() || max.isPresent()) && node.problemCount() == beforeBackoff) {
      Duration first = initial.orElse(defaults.initialBackoff());
      Duration longest = max.orElse(defaults.maxBackoff());
      if (longest.compareTo(first) < 0 && max.isPresent()) {
        node.report("max_backoff", "must be >= initial_backoff (" + GoDuration.format(first) + "), but was "
            + GoDuration.format(longest));
      } else if (longest.compareTo(first) < 0) {
        node.report("initial_backoff", "must be <= max_backoff (" + GoDuration.format(longest)
            + " by default), but was " + GoDuration.format(first));
      } else {
        policy.backoff(first, longest);
      }
    }
    node.apply("max_retry_after", node.duration("max_retry_after"), policy::maxRetryAfter);
    return node.problemCount() > before ? Optional.empty() : Optional.of(policy.build());
  }
}
