package io.asyncagent.internal;

import io.asyncagent.BackendSink;
import io.asyncagent.Event;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The one place that calls into a user's sink. Whatever the sink does — throws, returns null, or fails
 * its stage — the caller gets a stage; user faults never reach an agent thread.
 */
final class SinkGuard {
  private SinkGuard() {}

  static CompletionStage<Void> deliver(BackendSink sink, Event event) {
    try {
      CompletionStage<Void> stage = sink.deliver(event);
      if (stage == null) {
        return CompletableFuture.failedFuture(
            new NullPointerException(sink + " returned null instead of a CompletionStage"));
      }
      return stage;
    } catch (Throwable fault) {
      return CompletableFuture.failedFuture(fault);
    }
  }

  /** Tries to cancel a stage a sink returned; sinks that do not support it are left alone. */
  static void cancel(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().cancel(true);
    } catch (Throwable unsupported) {
      // A stage is not obliged to support toCompletableFuture(); the delivery is abandoned either way.
    }
  }

  /** Returns the failure a stage completed with, without the wrappers the JDK adds. */
  static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
