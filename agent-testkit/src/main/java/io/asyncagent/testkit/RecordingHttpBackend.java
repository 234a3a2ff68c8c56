package io.asyncagent.testkit;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A real HTTP server on loopback that records every request and answers with a status chosen by the test.
 *
 * <p>It listens on {@code 127.0.0.1} on a free port (backlog 1024) and handles requests on a fixed pool of 8
 * daemon threads named {@code recording-http-N}. Each request is read completely and recorded <em>before</em> the
 * response is sent, whatever the status, so once a client has its response the request is already visible in
 * {@link #requests()}. Responses have an empty body.
 *
 * <p>A configured {@linkplain Builder#latency(Duration) latency} delays the response without holding a handler
 * thread: a separate daemon thread ({@code recording-http-delay-N}) sends the delayed responses, so a slow backend
 * still accepts and records many concurrent requests with only 8 handler threads.
 *
 * <p>It depends only on the JDK, so demo programs can use it too. All methods are thread-safe.
 *
 * <pre>{@code
 * try (RecordingHttpBackend backend = RecordingHttpBackend.builder().status(202).start()) {
 *   // point the code under test at backend.url("/events")
 *   backend.awaitRequests(10, Duration.ofSeconds(10));
 *   assertThat(backend.requests()).extracting(RecordedRequest::bodyAsString).contains("hello");
 * }
 * }</pre>
 */
public final class RecordingHttpBackend implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final int BACKLOG = 1024;
  private static final int HANDLER_THREADS = 8;
  /** Answered when a responder throws or returns an unusable status: the test sees a failure, the client a 5xx. */
  private static final int RESPONDER_FAILED = 500;

  private final HttpServer server;
  private final ExecutorService handlers;
  /** Sends delayed responses; null when there is no latency. */
  private final ScheduledExecutorService delayer;
  private final long latencyNanos;
  private final URI uri;
  private volatile Function<RecordedRequest, Integer> responder;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<RecordedRequest> recorded = new ArrayList<>(); // guarded by lock
  private final AtomicBoolean closed = new AtomicBoolean();

  private RecordingHttpBackend(Builder builder) {
    this.responder = builder.responder;
    this.latencyNanos = builder.latency.toNanos();
    try {
      this.server = HttpServer.create(new InetSocketAddress(HOST, 0), BACKLOG);
    } catch (IOException e) {
      throw new UncheckedIOException("could not bind an HTTP server to " + HOST, e);
    }
    this.handlers = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads("recording-http-"));
    this.delayer =
        latencyNanos == 0 ? null : Executors.newSingleThreadScheduledExecutor(daemonThreads("recording-http-delay-"));
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
    this.uri = URI.create("http://" + HOST + ":" + server.getAddress().getPort());
  }

  /**
   * Starts a backend that answers 200 to every request, without latency.
   *
   * @return the running backend; close it when done
   * @throws UncheckedIOException if no loopback port could be bound
   */
  public static RecordingHttpBackend start() {
    return builder().start();
  }

  /**
   * Returns a builder; by default the backend answers 200 to every request, without latency.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Replaces the function that chooses each response status; requests already being answered keep their status.
   *
   * @param responder returns the status for a request, between 200 and 599; if it throws or returns anything else
   *     the backend answers 500 (the request is still recorded)
   * @throws NullPointerException if {@code responder} is null
   */
  public void respondWith(Function<RecordedRequest, Integer> responder) {
    this.responder = requireNonNull(responder, "responder");
  }

  /**
   * Returns the base address.
   *
   * @return such as {@code http://127.0.0.1:41234}, without a trailing slash
   */
  public URI uri() {
    return uri;
  }

  /**
   * Returns the address of a path on this backend.
   *
   * @param path a path starting with {@code /}, optionally with a query, such as {@code /events?source=kafka}
   * @return such as {@code http://127.0.0.1:41234/events?source=kafka}
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalArgumentException if {@code path} does not start with {@code /}
   */
  public String url(String path) {
    requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', but was '" + path + "'");
    }
    return uri + path;
  }

  /**
   * Returns the requests recorded so far.
   *
   * @return an unmodifiable snapshot, in arrival order
   */
  public List<RecordedRequest> requests() {
    lock.lock();
    try {
      return List.copyOf(recorded);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many requests were recorded so far.
   *
   * @return the number of requests since start or the last {@link #clear()}
   */
  public int requestCount() {
    lock.lock();
    try {
      return recorded.size();
    } finally {
      lock.unlock();
    }
  }

  /** Forgets all recorded requests; later counts start from zero. */
  public void clear() {
    lock.lock();
    try {
      recorded.clear();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until at least {@code count} requests were recorded, returning as soon as they were.
   *
   * @param count the number of requests to wait for, {@code >= 0}
   * @param timeout how long to wait at most
   * @throws AssertionError {@code expected at least <count> requests within <timeout>, but got <n>} on timeout
   * @throws IllegalArgumentException {@code count must be >= 0, but was -1}, or if {@code timeout} is negative
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalStateException if the thread is interrupted while waiting (its interrupt flag is set again)
   */
  public void awaitRequests(int count, Duration timeout) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, but was " + count);
    }
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be >= 0, but was " + timeout);
    }
    lock.lock();
    try {
      long remaining = Await.saturatedNanos(timeout);
      while (recorded.size() < count) {
        if (remaining <= 0) {
          throw new AssertionError(
              "expected at least " + count + " requests within " + timeout + ", but got " + recorded.size());
        }
        remaining = arrived.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + count + " requests", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the server at once and its threads; responses still delayed by latency are not sent. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    handlers.shutdownNow();
    if (delayer != null) {
      delayer.shutdownNow();
    }
  }

  /** Returns {@code RecordingHttpBackend[http://127.0.0.1:41234, 3 requests]}. */
  @Override
  public String toString() {
    return "RecordingHttpBackend[" + uri + ", " + requestCount() + " requests]";
  }

  private void handle(HttpExchange exchange) {
    int status;
    try {
      RecordedRequest request = read(exchange);
      record(request);
      status = statusFor(request);
    } catch (IOException | RuntimeException e) {
      // The client went away mid-request (or the server is stopping): nothing sensible to answer.
      exchange.close();
      return;
    }
    if (delayer == null) {
      respond(exchange, status);
      return;
    }
    try {
      delayer.schedule(() -> respond(exchange, status), latencyNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      exchange.close();
    }
  }

  private static RecordedRequest read(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    URI target = exchange.getRequestURI();
    String path = target.getRawPath() == null ? "" : target.getRawPath();
    if (target.getRawQuery() != null) {
      path += "?" + target.getRawQuery();
    }
    return RecordedRequest.of(exchange.getRequestMethod(), path, exchange.getRequestHeaders(), body, Instant.now());
  }

  private void record(RecordedRequest request) {
    lock.lock();
    try {
      recorded.add(request);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private int statusFor(RecordedRequest request) {
    try {
      Integer status = responder.apply(request);
      return status != null && isValidStatus(status) ? status : RESPONDER_FAILED;
    } catch (RuntimeException e) {
      return RESPONDER_FAILED;
    }
  }

  private static void respond(HttpExchange exchange, int status) {
    try {
      exchange.sendResponseHeaders(status, -1);
    } catch (IOException clientGone) {
      // The client closed the connection first (e.g. its timeout fired); the request is recorded anyway.
    } finally {
      exchange.close();
    }
  }

  private static boolean isValidStatus(int status) {
    return status >= 200 && status <= 599;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger next = new AtomicInteger(1);
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + next.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Configures a {@link RecordingHttpBackend}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private Function<RecordedRequest, Integer> responder = request -> 200;
    private Duration latency = Duration.ZERO;

    private Builder() {}

    /**
     * Answers every request with the same status. Default 200. Replaces an earlier {@link #responder(Function)}.
     *
     * @param status the status, between 200 and 599
     * @return this builder
     * @throws IllegalArgumentException {@code status must be between 200 and 599, but was 99}
     */
    public Builder status(int status) {
      if (!isValidStatus(status)) {
        throw new IllegalArgumentException("status must be between 200 and 599, but was " + status);
      }
      this.responder = request -> status;
      return this;
    }

    /**
     * Chooses the status per request. Replaces an earlier {@link #status(int)}. The default answers 200.
     *
     * @param responder returns the status for a request, between 200 and 599; if it throws or returns anything
     *     else the backend answers 500 (the request is still recorded)
     * @return this builder
     * @throws NullPointerException if {@code responder} is null
     */
    public Builder responder(Function<RecordedRequest, Integer> responder) {
      this.responder = requireNonNull(responder, "responder");
      return this;
    }

    /**
     * Delays every response, to simulate a slow backend. Default zero. The request is recorded on arrival; only the
     * response waits, and it waits without holding a handler thread.
     *
     * @param latency the delay before answering, {@code >= 0}
     * @return this builder
     * @throws NullPointerException if {@code latency} is null
     * @throws IllegalArgumentException {@code latency must be >= 0, but was PT-1S}
     */
    public Builder latency(Duration latency) {
      requireNonNull(latency, "latency");
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must be >= 0, but was " + latency);
      }
      // Keeps toNanos() in the constructor from overflowing; no test waits this long.
      if (latency.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("latency must be <= PT24H, but was " + latency);
      }
      this.latency = latency;
      return this;
    }

    /**
     * Starts the backend.
     *
     * @return the running backend; close it when done
     * @throws UncheckedIOException if no loopback port could be bound
     */
    public RecordingHttpBackend start() {
      return new RecordingHttpBackend(this);
    }
  }
}
