package io.asyncagent.internal;

import static java.util.Objects.requireNonNull;

import io.asyncagent.BackendSink;
import io.asyncagent.BlockingSink;
import io.asyncagent.Event;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The sink behind {@link BackendSink#blocking}. It runs the blocking code on the calling thread; the
 * dispatcher recognises this type and calls it only from its pool of blocking threads.
 */
public final class BlockingSinkAdapter implements BackendSink {
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

  @Override
  public String toString() {
    return "BackendSink.blocking(" + sink + ")";
  }
}
