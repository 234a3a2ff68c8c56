package io.asyncagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentListener;
import io.asyncagent.AsyncAgent;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryException;
import io.asyncagent.DeliveryFailure;
import io.asyncagent.Event;
import io.asyncagent.FailurePolicy;
import io.asyncagent.examples.IndexSink.IndexClient;
import io.asyncagent.examples.IndexSink.IndexException;
import io.asyncagent.testkit.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The example sink, run by an agent on the in-memory driver against an index that answers as told. */
class IndexSinkTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final InMemoryLog log = InMemoryLog.named("index-" + UUID.randomUUID());
  private final FakeIndex index = new FakeIndex();
  private final List<String> deadLetters = new CopyOnWriteArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<Duration> retryDelays = new CopyOnWriteArrayList<>();

  IndexSinkTest() {
    log.createTopic("orders", 1);
  }

  @Test
  void aRetriedEventLeavesOneDocumentKeyedByItsCoordinates() {
    index.answers.add(new IndexException(503, null));
    log.append("orders", 0, "order-0");

    try (AsyncAgent agent = agent(Duration.ofSeconds(5))) {
      agent.start();
      Await.until(WAIT, () -> index.documents.size() == 1, "one document");
    }

    assertThat(index.documents).isEqualTo(Map.of("orders-0@0", "order-0"));
    assertThat(index.puts).isEqualTo(List.of("orders-0@0", "orders-0@0"));
    assertThat(failures).containsExactly("retriable 503");
    assertThat(deadLetters).isEmpty();
  }

  @Test
  void aThrottledRequestIsRetriedNoSoonerThanTheIndexAsked() {
    index.answers.add(new IndexException(429, Duration.ofMillis(300)));
    log.append("orders", 0, "order-0");

    try (AsyncAgent agent = agent(Duration.ofSeconds(5))) {
      agent.start();
      Await.until(WAIT, () -> index.documents.size() == 1, "one document");
    }

    assertThat(failures).containsExactly("retriable 429");
    assertThat(retryDelays).containsExactly(Duration.ofMillis(300)); // the policy's own backoff is 10 ms
  }

  @Test
  void aRefusedDocumentIsNotRetriedButDeadLettered() {
    index.answers.add(new IndexException(400, null));
    log.append("orders", 0, "order-0");

    try (AsyncAgent agent = agent(Duration.ofSeconds(5))) {
      agent.start();
      Await.until(WAIT, () -> deadLetters.size() == 1, "one dead letter");
    }

    assertThat(index.puts).hasSize(1);
    assertThat(failures).containsExactly("permanent 400");
    assertThat(deadLetters).containsExactly("order-0");
  }

  @Test
  void anUnreachableIndexIsRetriable() {
    index.answers.add(new IOException("connection refused"));
    log.append("orders", 0, "order-0");

    try (AsyncAgent agent = agent(Duration.ofSeconds(5))) {
      agent.start();
      Await.until(WAIT, () -> index.documents.size() == 1, "one document");
    }

    assertThat(failures).containsExactly("retriable no status");
  }

  @Test
  void aDeliveryThatTimesOutCancelsItsRequest() {
    CompletableFuture<Void> hanging = new CompletableFuture<>();
    index.hanging = hanging;
    log.append("orders", 0, "order-0");

    try (AsyncAgent agent = agent(Duration.ofMillis(100))) {
      agent.start();
      Await.until(WAIT, hanging::isCancelled, "the request cancelled");
      Await.until(WAIT, () -> index.documents.size() == 1, "one document, on the retry");
    }

    assertThat(index.puts).hasSize(2);
  }

  @Test
  void theAgentClosesTheSinkAndTheSinkItsClient() {
    AsyncAgent agent = agent(Duration.ofSeconds(5));
    agent.start();
    assertThat(index.closed).isFalse();

    agent.close();

    assertThat(index.closed).isTrue();
  }

  private AsyncAgent agent(Duration timeout) {
    return AsyncAgent.builder()
        .name("indexer")
        .topics("orders")
        .timeout(timeout)
        .onFailure(FailurePolicy.retry()
            .maxAttempts(3)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(10))
            .deadLetterTo(event -> {
              deadLetters.add(event.bodyAsString());
              return CompletableFuture.completedFuture(null);
            })
            .build())
        .listener(new AgentListener() {
          @Override
          public void failed(AsyncAgent agent, DeliveryAttempt attempt, DeliveryFailure failure) {
            if (failure.cause() instanceof DeliveryException delivery) {
              failures.add((delivery.isRetriable() ? "retriable " : "permanent ")
                  + (delivery.status().isPresent() ? String.valueOf(delivery.status().getAsInt()) : "no status"));
            }
          }

          @Override
          public void retryScheduled(AsyncAgent agent, Event event, int attempt, Duration delay) {
            retryDelays.add(delay);
          }
        })
        .driver(InMemoryDriver.of(log))
        .sink(new IndexSink(index))
        .build();
  }

  /** An index that fails with the queued answers first, then stores; or hangs, once, when told to. */
  private static final class FakeIndex implements IndexClient {
    final Queue<Exception> answers = new ArrayDeque<>();
    final Map<String, String> documents = new ConcurrentHashMap<>();
    final List<String> puts = new CopyOnWriteArrayList<>();
    volatile CompletableFuture<Void> hanging;
    volatile boolean closed;

    @Override
    public synchronized CompletableFuture<Void> put(String id, byte[] document) {
      puts.add(id);
      if (hanging != null) {
        CompletableFuture<Void> request = hanging;
        hanging = null;
        return request;
      }
      Exception answer = answers.poll();
      if (answer != null) {
        return CompletableFuture.failedFuture(answer);
      }
      documents.put(id, new String(document, StandardCharsets.UTF_8));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
