package io.asyncagent.http.internal;

import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
import io.asyncagent.Header;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events with one {@link HttpClient}. The client runs its callbacks on two threads of its own
 * (they time out when idle): measured on Java 17, a small fixed executor beats the client's default
 * cached pool, and names the threads.
 */
public final class HttpDelivery {
  private static final Logger log = LoggerFactory.getLogger(HttpDelivery.class);
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final Target[] targets;
  private final URI[] uris;
  private final String urlPattern;
  private final String method;
  private final Duration timeout;
  private final BitSet successStatuses;
  private final boolean forwardCoordinates;
  private final HttpClient client;
  private final AtomicInteger next = new AtomicInteger();

  /** What a backend was built with. */
  public record Settings(List<Target> hosts, String urlPattern, String method, Duration timeout,
      Duration connectTimeout, BitSet successStatuses, boolean forwardCoordinates) {}

  /** Creates the client. */
  public HttpDelivery(Settings settings) {
    this.targets = settings.hosts().toArray(new Target[0]);
    this.uris = settings.hosts().stream().map(host -> URI.create(host.base() + settings.urlPattern()))
        .toArray(URI[]::new);
    this.urlPattern = settings.urlPattern();
    this.method = settings.method();
    this.timeout = settings.timeout();
    this.successStatuses = (BitSet) settings.successStatuses().clone();
    this.forwardCoordinates = settings.forwardCoordinates();
    Duration connectTimeout = settings.connectTimeout();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        threadFactory("asyncagent-http-" + CLIENTS.incrementAndGet()));
    executor.allowCoreThreadTimeOut(true);
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
  }

  /** Sends {@code event}; the stage fails with a {@link DeliveryException} unless the answer is 2xx. */
  public CompletionStage<Void> send(Event event) {
    int index = targets.length == 1 ? 0 : Math.floorMod(next.getAndIncrement(), targets.length);
    Target target = targets[index];
    String request = method + " " + target.display() + urlPattern; // for messages: no credentials
    HttpRequest httpRequest;
    try {
      httpRequest = request(target, uris[index], event);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new DeliveryException(request + " could not be built: " + e.getMessage(), false, e));
    }
    return client.sendAsync(httpRequest, HttpResponse.BodyHandlers.discarding())
        .handle((response, failure) -> {
          if (failure != null) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            throw new DeliveryException(request + " failed: " + cause, true, cause);
          }
          int status = response.statusCode();
          if (status < 0 || !successStatuses.get(status)) {
            throw new DeliveryException("HTTP " + status + " from " + request, isRetriable(status), status,
                RetryAfter.parse(response.headers().firstValue("Retry-After"), Instant.now()).orElse(null), null);
          }
          return null;
        });
  }

  private HttpRequest request(Target target, URI uri, Event event) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .method(method, HttpRequest.BodyPublishers.ofByteArray(event.body()));
    if (timeout != null) {
      request.timeout(timeout);
    }
    for (Header header : event.headers()) {
      String value = header.valueAsString();
      if (!isSendable(value)) {
        log.debug("header '{}' of {} is not sent: its value is not printable ASCII", header.name(),
            event.coordinates());
        continue;
      }
      try {
        request.header(header.name(), value);
      } catch (IllegalArgumentException notSendable) {
        // Restricted (Host, Content-Length…) or not an HTTP token: the rest of the event still goes out.
        log.debug("header '{}' of {} is not sent: {}", header.name(), event.coordinates(), notSendable.getMessage());
      }
    }
    if (forwardCoordinates) {
      request.setHeader("X-Kafka-Topic", event.topic());
      request.setHeader("X-Kafka-Partition", Integer.toString(event.partition()));
      request.setHeader("X-Kafka-Offset", Long.toString(event.offset()));
      request.setHeader("X-Kafka-Timestamp", Long.toString(event.timestampMillis()));
    }
    target.authorization().ifPresent(authorization -> request.setHeader("Authorization", authorization.reveal()));
    return request.build();
  }

  /**
   * HTTP/1.1 sends header values as bytes the receiver reads as ASCII (RFC 9110 §5.5); the JDK client
   * would write any other character as '?', so such a value is left out rather than sent corrupted.
   */
  private static boolean isSendable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** 408 Request Timeout, 429 Too Many Requests and every 5xx may succeed when tried again. */
  static boolean isRetriable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  private static ThreadFactory threadFactory(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
