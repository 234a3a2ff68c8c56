package io.asyncagent.reliability;

import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The books of a scenario's backend: every request it was sent, with the record number in its body, the coordinates
 * the agent read it from, the status it was answered and when it arrived.
 *
 * <p>The backend is a {@link io.asyncagent.testkit.RecordingHttpBackend} whose responder is {@link
 * #responder(ToIntFunction)}: the status is chosen and written down before the answer is sent, so a request the agent
 * never heard back about (it was killed, or its connection cut) still counts as delivered, as it would for a real
 * backend that acted on it.
 */
final class Ledger {
  private final Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();
  private final Set<Integer> delivered = ConcurrentHashMap.newKeySet();

  /** One request the backend received. */
  record Attempt(int number, int partition, long offset, int status, long atNanos) {
    boolean succeeded() {
      return status >= 200 && status < 300;
    }
  }

  /** A responder that answers 200 to everything and writes each request down. */
  Function<RecordedRequest, Integer> responder() {
    return responder(request -> 200);
  }

  /** A responder that answers what {@code statuses} says and writes each request down with that status. */
  Function<RecordedRequest, Integer> responder(ToIntFunction<RecordedRequest> statuses) {
    return request -> {
      int status = statuses.applyAsInt(request);
      Attempt attempt = new Attempt(numberOf(request),
          Integer.parseInt(request.header("X-Kafka-Partition").orElse("-1")),
          Long.parseLong(request.header("X-Kafka-Offset").orElse("-1")), status, System.nanoTime());
      attempts.add(attempt);
      if (attempt.succeeded()) {
        delivered.add(attempt.number());
      }
      return status;
    };
  }

  /** The record number a request carries in its body. */
  static int numberOf(RecordedRequest request) {
    return NumberedRecords.numberOf(request.bodyAsString());
  }

  /** How many distinct records were answered with a success so far. */
  int distinctDelivered() {
    return delivered.size();
  }

  /** Whether record {@code number} was answered with a success. */
  boolean wasDelivered(int number) {
    return delivered.contains(number);
  }

  /** Every request so far, in the order they were written down. */
  List<Attempt> attempts() {
    return new ArrayList<>(attempts);
  }

  /** The requests answered with a success, in order. */
  List<Attempt> deliveries() {
    return attempts.stream().filter(Attempt::succeeded).toList();
  }
}
