package io.asyncagent.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.asyncagent.AgentListener;
import io.asyncagent.GroupHealth;
import io.asyncagent.micrometer.AgentMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The HTTP endpoints of {@code run --port}, on the JDK's own server ({@code com.sun.net.httpserver}):
 *
 * <ul>
 *   <li>{@code GET /__health}: the group's health document, KrakenD's shape ({@link GroupHealth#toJson()}), as
 *       {@code application/json}; status 200 when every agent is healthy and 503 when one is not. KrakenD always
 *       answers 200, and its {@code status} is always {@code "ok"}. We differ because load balancers and
 *       orchestrators (a Kubernetes probe, a Consul check, an AWS target group) act on the status code, not on the
 *       body: a 200 would keep a process whose agents failed, lost their cluster or are draining in service.
 *   <li>{@code GET /metrics}: every meter of the run in Prometheus' text format 0.0.4 — the agents' (through
 *       {@link #metricsListener()}, see {@link AgentMetrics}) and the JVM's (memory, GC, threads, class loading,
 *       CPU, uptime).
 *   <li>Any other path: 404. Any other method on these two paths: 405, with {@code Allow: GET}.
 * </ul>
 *
 * <p>{@link #bind} takes the port at once, so a port in use is reported before any agent starts; requests wait
 * until {@link #start} gives the server the group's health. Requests are handled on two daemon threads named
 * {@code asyncagent-cli-http-N}; the JDK's own dispatcher thread ({@code HTTP-Dispatcher}, a name it fixes) is a
 * daemon too, as it is started from one of them.
 */
final class RunServer implements AutoCloseable {
  /** The path of the health document, KrakenD's default {@code health_path}. */
  static final String HEALTH_PATH = "/__health";
  /** The path of the Prometheus metrics. */
  static final String METRICS_PATH = "/metrics";
  /** The content type of Prometheus' text format, as Prometheus asks for it. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  /** The content type of the health document. */
  static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final int HANDLER_THREADS = 2;

  private final HttpServer server;
  private final InetSocketAddress address;
  private final ExecutorService handlers;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AgentListener metricsListener = AgentMetrics.listener(registry);
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Supplier<GroupHealth> health;

  private RunServer(HttpServer server, InetSocketAddress requested) {
    this.server = server;
    // A dual-stack socket bound to 0.0.0.0 reports the IPv6 wildcard; the host asked for is what users expect.
    this.address = new InetSocketAddress(requested.getAddress(), server.getAddress().getPort());
    AtomicInteger threads = new AtomicInteger();
    this.handlers = Executors.newFixedThreadPool(HANDLER_THREADS, task -> {
      Thread thread = new Thread(task, "asyncagent-cli-http-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * Listens on {@code address} (port 0 for any free port), without answering yet.
   *
   * @throws IOException if the address cannot be listened on, such as a port in use
   */
  static RunServer bind(InetSocketAddress address) throws IOException {
    return new RunServer(HttpServer.create(requireNonNull(address, "address"), 0), address);
  }

  /** Returns the address listened on, with the port chosen when 0 was asked for. */
  InetSocketAddress address() {
    return address;
  }

  /** Returns the listener that records each agent's meters for {@code /metrics}; give it to every agent. */
  AgentListener metricsListener() {
    return metricsListener;
  }

  /**
   * Starts answering, with the health that {@code health} returns for each request to {@code /__health}.
   *
   * @throws IllegalStateException if the server was started or closed before
   */
  void start(Supplier<GroupHealth> health) {
    this.health = requireNonNull(health, "health");
    if (closed.get() || !started.compareAndSet(false, true)) {
      throw new IllegalStateException("the server was started or closed before");
    }
    // HttpServer's dispatcher thread is a daemon only if the thread that starts the server is one.
    Future<?> start = handlers.submit(server::start);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          start.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw new IllegalStateException("the HTTP server did not start", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops listening at once, cutting requests in progress, and releases the threads. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      handlers.shutdownNow();
      gcMetrics.close();
      registry.close();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      if (!path.equals(HEALTH_PATH) && !path.equals(METRICS_PATH)) {
        respond(exchange, HttpURLConnection.HTTP_NOT_FOUND, TEXT,
            "Not found: " + path + "; try " + HEALTH_PATH + " or " + METRICS_PATH + "\n");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        respond(exchange, HttpURLConnection.HTTP_BAD_METHOD, TEXT,
            "Method not allowed: " + exchange.getRequestMethod() + "; " + path + " answers GET only\n");
      } else if (path.equals(HEALTH_PATH)) {
        GroupHealth now = health.get();
        respond(exchange, now.isHealthy() ? HttpURLConnection.HTTP_OK : HttpURLConnection.HTTP_UNAVAILABLE, JSON,
            now.toJson());
      } else {
        respond(exchange, HttpURLConnection.HTTP_OK, PROMETHEUS_TEXT, registry.scrape(PROMETHEUS_TEXT));
      }
    } finally {
      exchange.close();
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public String toString() {
    return "RunServer{" + address() + (closed.get() ? ", closed" : started.get() ? ", started" : ", bound") + "}";
  }
}
