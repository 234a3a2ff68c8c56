package io.asyncagent.internal;

import static java.util.Objects.requireNonNull;

import io.asyncagent.BackendSink;
import io.asyncagent.BlockingSink;
import io.asyncagent.Event;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The sink behind {@link BackendSink#blocking}. It runs the blocking code on the calling thread; the
 * dispatcher recognises this type and calls it only from its pool of blocking threads. Closing it closes
 * the blocking sink when that is {@link AutoCloseable}, so that the agent's promise to close its sinks
 * holds for blocking ones too.
 */
public final class BlockingSinkAdapter implements BackendSink, AutoCloseable {
  private final BlockingSink sink;

  /** Wraps {@code sink}. */
  public BlockingSinkAdapter(BlockingSink sink) {
    this.sink = requireNonNull(sink, "sink");
  }

  @Override
  public CompletionStage<Void> deliver(Event event) {
    try {
      sink.deliver(event);
      return CompletableFuture.completedFuture(null);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Closes the blocking sink if it is {@link AutoCloseable}; what its {@code close} throws is rethrown unchecked. */
  @Override
  public void close() {
    if (sink instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("closing " + sink + " failed: " + e, e);
      }
    }
  }

  @Override
  public String toString() {
    return "BackendSink.blocking(" + sink + ")";
  }
}
