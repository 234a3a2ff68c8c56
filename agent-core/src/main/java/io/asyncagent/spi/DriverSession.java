package io.asyncagent.spi;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** One agent's connection to a message source, from {@link Driver#connect}. */
public interface DriverSession {

  /**
   * Completes once the session consumes with its start positions fixed: events published from then on
   * are delivered. Never completes exceptionally; a failure shows in {@link #terminated()}.
   *
   * @return a stage that completes once the session is consuming
   */
  CompletionStage<Void> ready();

  /**
   * Completes when the session has ended: normally after {@link #close}, exceptionally with the cause
   * when it fails on its own (the source rejected the credentials, say).
   *
   * @return a stage that completes when the session has ended
   */
  CompletionStage<Void> terminated();

  /**
   * Stops reading, waits up to {@code grace} for the pipelines of events already offered (the
   * dispatcher keeps delivering meanwhile), commits what completed, and disconnects. Blocks until then;
   * idempotent; safe to call after the session has failed.
   *
   * @param grace how long to wait for events in flight, {@code >= 0}
   */
  void close(Duration grace);
}
