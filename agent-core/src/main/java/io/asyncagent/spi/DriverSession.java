package io.asyncagent.spi;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** One agent's connection to a message source, from {@link Driver#connect}. */
public interface DriverSession {

  /**
   * Completes once the session consumes with its start positions fixed: events published from then on
   * are delivered. Never completes exceptionally; a failure shows in {@link #terminated()}.
   */
  CompletionStage<Void> ready();

  /**
   * Completes when the session has ended: normally after {@link #close}, exceptionally with the cause
   * when it fails on its own (the source rejected the credentials, say).
   */
  CompletionStage<Void> terminated();

  /**
   * Stops reading, waits up to {@code grace} for the pipelines of events already offered (the
   * dispatcher keeps delivering meanwhile), commits what completed, and disconnects. Blocks until then;
   * idempotent; safe to call after the session has failed.
   */
  void close(Duration grace);
}
