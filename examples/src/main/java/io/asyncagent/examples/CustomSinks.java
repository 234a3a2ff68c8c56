package io.asyncagent.examples;

import io.asyncagent.BackendSink;
import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletionStage;

/** Sinks a host writes itself: one over an asynchronous client, one over blocking I/O. */
public final class CustomSinks {
  private CustomSinks() {}

  /** A client of some pricing service, asynchronous as most modern clients are. */
  public interface PricingClient {
    /** Publishes a price update; the stage yields the service's status code. */
    CompletionStage<Integer> publish(String symbol, String update);
  }

  // tag::async-sink[]
  /** Pushes each event to the pricing service; the key is the stock symbol. */
  public static final class PricingSink implements BackendSink {
    private final PricingClient client;

    public PricingSink(PricingClient client) {
      this.client = client;
    }

    @Override
    public CompletionStage<Void> deliver(Event event) {
      String symbol = event.keyAsString().orElse("unknown");
      return client.publish(symbol, event.bodyAsString()).thenAccept(status -> {
        if (status != 200) {
          // Say whether trying again could help: a 5xx might pass later, a 4xx will not.
          throw new DeliveryException("pricing answered " + status, status >= 500, status, null);
        }
      });
    }
  }
  // end::async-sink[]

  /**
   * Writes each event to a file named after its coordinates. Redelivery after a crash rewrites the same
   * file, so at-least-once delivery leaves exactly one file per event.
   */
  public static BackendSink outbox(Path directory) {
    // tag::blocking-sink[]
    BackendSink outbox = BackendSink.blocking(event -> {
      Path file = directory.resolve(event.coordinates() + ".json");  // e.g. stocks-3@1042.json
      Path partial = Files.createTempFile(directory, "event", ".tmp");
      Files.write(partial, event.body());
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    });
    // end::blocking-sink[]
    return outbox;
  }
}
