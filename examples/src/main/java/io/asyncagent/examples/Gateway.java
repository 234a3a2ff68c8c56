package io.asyncagent.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.asyncagent.AgentGroup;
import io.asyncagent.AgentListener;
import io.asyncagent.AsyncAgent;
import io.asyncagent.GroupHealth;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.micrometer.AgentMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A small HTTP gateway that runs agents next to routes of its own, on the JDK's HTTP server:
 *
 * <ul>
 *   <li>{@code GET /hello}: the gateway's own route, standing for whatever your service serves;
 *   <li>{@code GET /__health}: KrakenD's health document of the agents, 200 when every agent is healthy and 503 when
 *       one is not (failed, cut off from its cluster, or stopping);
 *   <li>{@code GET /metrics}: the agents' meters in Prometheus' text format.
 * </ul>
 *
 * <p>Agents start before the server and stop after its intake, so the gateway never answers while its agents are
 * not consuming. The gateway owns the agents and the registry it is given, and closes them.
 *
 * <pre>
 * java -cp ... io.asyncagent.examples.Gateway localhost:9092 http://billing:8080 8080
 * </pre>
 */
public final class Gateway implements AutoCloseable {
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";
  /** The content type of Prometheus' text format, as Prometheus asks for it. */
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final int HANDLER_THREADS = 4;
  /** Seconds that requests in progress get to finish once the server stops. */
  private static final int STOP_GRACE_SECONDS = 1;

  private final HttpServer server;
  private final AgentGroup agents;
  private final PrometheusMeterRegistry registry;
  private final ExecutorService handlers;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean draining;

  private Gateway(HttpServer server, AgentGroup agents, PrometheusMeterRegistry registry) {
    this.server = server;
    this.agents = agents;
    this.registry = registry;
    AtomicInteger threads = new AtomicInteger();
    this.handlers = Executors.newFixedThreadPool(HANDLER_THREADS,
        task -> new Thread(task, "gateway-http-" + threads.incrementAndGet()));
    server.setExecutor(handlers);
    routes();
  }

  /**
   * Builds the agent the gateway runs: orders from Kafka to the billing service.
   *
   * @param brokers the Kafka cluster, {@code host:port}
   * @param billing the billing service, such as {@code http://billing:8080}
   * @param metrics the listener that records the agent's meters
   * @return the agent, not started
   */
  public static AsyncAgent ordersAgent(String brokers, String billing, AgentListener metrics) {
    return AsyncAgent.builder()
        .name("orders")
        .topics("orders")
        .workers(8)
        .listener(metrics)
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(brokers).build())
            .group(Group.of("gateway-orders"))
            .build())
        .sink(HttpBackend.builder().host(billing).urlPattern("/orders").build())
        .build();
  }

  /**
   * Starts {@code agents}, then serves the gateway's routes on {@code address}.
   *
   * @param address where to listen; port 0 takes any free port
   * @param agents the agents to run; the gateway closes them
   * @param registry the registry the agents' meters go to, served at {@code /metrics}; the gateway closes it
   * @return the running gateway
   * @throws IOException if {@code address} cannot be listened on, such as a port in use; no agent was started
   * @throws io.asyncagent.AgentException if an agent failed to start; every agent and the server are closed again
   */
  // tag::start[]
  public static Gateway start(InetSocketAddress address, AgentGroup agents, PrometheusMeterRegistry registry)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);  // the port first: one in use fails before any agent runs
    try {
      agents.start();                                    // then the agents: consuming before anyone can ask
    } catch (RuntimeException e) {
      server.stop(0);
      agents.close();
      throw e;
    }
    Gateway gateway = new Gateway(server, agents, registry);
    server.start();                                      // last, the routes: health is 200 from the first request
    return gateway;
  }
  // end::start[]

  /**
   * Returns the port the gateway listens on: the one asked for, or the one chosen when 0 was asked for.
   *
   * @return such as {@code 41234}
   */
  public int port() {
    return server.getAddress().getPort();
  }

  // tag::routes[]
  private void routes() {
    // The gateway's own route. It stops taking requests when the gateway closes.
    route("/hello", () -> draining
        ? new Reply(503, TEXT, "shutting down\n")
        : new Reply(200, TEXT, "hello from the gateway\n"));
    // KrakenD's document; 503 when an agent has failed, lost its cluster or is stopping, for load balancers.
    route("/__health", () -> {
      GroupHealth health = agents.health();
      return new Reply(health.isHealthy() ? 200 : 503, JSON, health.toJson());
    });
    // Every meter of every agent, for Prometheus to scrape.
    route("/metrics", () -> new Reply(200, PROMETHEUS_TEXT, registry.scrape(PROMETHEUS_TEXT)));
  }
  // end::routes[]

  /**
   * Stops the gateway: its own routes stop taking requests, the agents drain, then the server stops. Returns when
   * all is stopped: within the agents' drain timeout (30 s by default) and one second. Idempotent: a later call
   * returns at once.
   */
  // tag::close[]
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // 1. No new work. The JDK's server cannot stop accepting and keep answering, so the routes refuse instead:
    //    a load balancer sees the 503s of /hello and /__health and moves traffic away while the agents drain.
    draining = true;
    // 2. Each agent stops reading, delivers what it has taken in, commits, and leaves its group.
    agents.close();
    // 3. Only now the server: requests in progress get a second to finish.
    server.stop(STOP_GRACE_SECONDS);
    handlers.shutdown();
    registry.close();
  }
  // end::close[]

  /**
   * Runs the gateway until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes it.
   *
   * @param args the Kafka brokers ({@code host:port}), the billing service's URL, and the port to listen on
   * @throws IOException if the port cannot be listened on
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: Gateway <brokers host:port> <billing URL> <port>");
      System.exit(2);
    }
    String brokers = args[0];
    String billing = args[1];
    int port = Integer.parseInt(args[2]);
    // tag::main[]
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AgentGroup agents = AgentGroup.of(ordersAgent(brokers, billing, AgentMetrics.listener(registry)));
    Gateway gateway = Gateway.start(new InetSocketAddress(port), agents, registry);
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close));  // SIGTERM: stop intake, drain, stop
    // end::main[]
  }

  @Override
  public String toString() {
    return "Gateway{port " + port() + ", " + agents + (closed.get() ? ", closed" : "") + "}";
  }

  /** One answer: its status, content type and body. */
  private record Reply(int status, String contentType, String body) {}

  /** Answers {@code GET path} with what {@code reply} gives; 404 for any other path below it, 405 for other methods. */
  private void route(String path, Supplier<Reply> reply) {
    server.createContext(path, exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getPath().equals(path)) {
          respond(exchange, new Reply(404, TEXT, "not found\n"));
        } else if (!exchange.getRequestMethod().equals("GET")) {
          exchange.getResponseHeaders().set("Allow", "GET");
          respond(exchange, new Reply(405, TEXT, path + " answers GET only\n"));
        } else {
          respond(exchange, reply.get());
        }
      }
    });
  }

  private static void respond(HttpExchange exchange, Reply reply) throws IOException {
    byte[] body = reply.body().getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    exchange.sendResponseHeaders(reply.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
