package io.asyncagent.kafka.internal;

import io.asyncagent.ConnectionException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Sorts what ended a session into what connecting again may cure and what it cannot. The cluster refusing
 * the agent's identity or rights, or its names, is not cured by waiting: the agent fails at once instead of
 * retrying (KrakenD retries anything, up to {@code max_retries}). Everything else is left as it is, and
 * the agent retries it under its connection policy.
 */
final class FailureKinds {
  private FailureKinds() {}

  static Throwable classify(Throwable failure) {
    if (failure instanceof AuthenticationException
        || failure instanceof AuthorizationException
        || failure instanceof InvalidTopicException
        || failure instanceof InvalidGroupIdException
        || failure instanceof UnsupportedVersionException) {
      return new ConnectionException("the cluster refused the agent (" + failure.getClass().getSimpleName() + "): "
          + failure.getMessage(), false, failure);
    }
    return failure;
  }
}
