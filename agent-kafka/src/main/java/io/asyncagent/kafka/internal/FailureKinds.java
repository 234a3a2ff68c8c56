package io.asyncagent.kafka.internal;

import io.asyncagent.ConnectionException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.SslAuthenticationException;
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
          + explain(failure), false, failure);
    }
    return failure;
  }

  /**
   * The failure's message, and for a TLS failure its cause's too: Kafka's own says only "SSL handshake
   * failed", while the cause names the certificate and why it was refused.
   */
  private static String explain(Throwable failure) {
    if (failure instanceof SslAuthenticationException && failure.getCause() != null
        && failure.getCause().getMessage() != null
        && !failure.getCause().getMessage().equals(failure.getMessage())) {
      return failure.getMessage() + ": " + failure.getCause().getMessage();
    }
    return failure.getMessage();
  }
}
