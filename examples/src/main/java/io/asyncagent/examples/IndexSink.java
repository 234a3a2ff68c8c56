package io.asyncagent.examples;

import static java.util.Objects.requireNonNull;

import io.asyncagent.BackendSink;
import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A sink over an asynchronous client the host already has — here, a search index's — showing what
 * docs/extending.md says a sink must do: start the work and return at once; say whether a failure is worth a
 * retry, and when; pass the agent's cancel on to the request when the delivery times out; write idempotently,
 * keyed by the event's coordinates; and release its client when the agent closes it.
 */
public final class IndexSink implements BackendSink, AutoCloseable {

  /** The asynchronous client of a search index. */
  public interface IndexClient extends AutoCloseable {
    /**
     * Stores {@code document} under {@code id}, replacing what was stored under it. The future fails with an
     * {@link IndexException} when the index refuses, or with another exception when it cannot be reached;
     * cancelling it aborts the request.
     */
    CompletableFuture<Void> put(String id, byte[] document);

    /** Closes the client's connections. */
    @Override
    void close();
  }

  /** The index's refusal of a request: its status, and how long it asked callers to wait, if it did. */
  public static final class IndexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final Duration retryAfter;

    /**
     * Creates a refusal.
     *
     * @param status the index's status code, such as 429
     * @param retryAfter the wait the index asked for, or {@code null} for none
     */
    public IndexException(int status, Duration retryAfter) {
      super("the index answered " + status);
      this.status = status;
      this.retryAfter = retryAfter;
    }

    /** Returns the index's status code. */
    public int status() {
      return status;
    }

    /** Returns how long the index asked callers to wait before they try again, if it asked. */
    public Optional<Duration> retryAfter() {
      return Optional.ofNullable(retryAfter);
    }
  }

  private final IndexClient client;

  /**
   * Creates a sink that writes through {@code client}, which it closes when it is closed.
   *
   * @throws NullPointerException if {@code client} is null
   */
  public IndexSink(IndexClient client) {
    this.client = requireNonNull(client, "client");
  }

  // tag::deliver[]
  @Override
  public CompletionStage<Void> deliver(Event event) {
    String id = event.coordinates().toString();            // orders-3@1042: a redelivery replaces, never adds
    CompletableFuture<Void> request = client.put(id, event.body()); // starts the request; does not wait for it
    CompletableFuture<Void> delivery = request.handle((ok, failure) -> {
      if (failure != null) {
        throw classify(failure);
      }
      return null;
    });
    // On timeout the agent cancels the stage it was given, not the request behind it: pass the cancel on.
    delivery.whenComplete((ok, failure) -> {
      if (delivery.isCancelled()) {
        request.cancel(true);
      }
    });
    return delivery;
  }
  // end::deliver[]

  // tag::classify[]
  /** Says whether trying again could help, and when: the agent retries only what could pass later. */
  static DeliveryException classify(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof IndexException refusal) {
      int status = refusal.status();
      boolean retriable = status == 408 || status == 429 || status >= 500; // busy or broken now; a 400 stays a 400
      return new DeliveryException("the index answered " + status, retriable, status,
          refusal.retryAfter().orElse(null), cause);      // the wait it asked for: a retry comes no sooner
    }
    return new DeliveryException("the index could not be reached", true, cause); // the network may come back
  }
  // end::classify[]

  // tag::close[]
  /** The agent calls this when it stops: the client and its connections are the sink's to release. */
  @Override
  public void close() {
    client.close();
  }
  // end::close[]

  /** Returns {@code IndexSink}; not the client, whose text may name credentials. */
  @Override
  public String toString() {
    return "IndexSink";
  }
}
