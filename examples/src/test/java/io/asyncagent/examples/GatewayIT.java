package io.asyncagent.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.AgentGroup;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.micrometer.AgentMetrics;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@WithEmbeddedKafka
class GatewayIT {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final String DELIVERED = "asyncagent_events_delivered_total{agent=\"orders\",topic=\"orders\"} ";

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static InetSocketAddress anyLoopbackPort() {
    return new InetSocketAddress("127.0.0.1", 0);
  }

  @Test
  void deliversEveryOrderAndServesItsOwnRouteHealthAndMetrics(EmbeddedKafka kafka) throws IOException {
    kafka.createTopic("orders", 3);
    NumberedRecords orders = NumberedRecords.forTopic("orders").count(50).distinctKeys(5);

    try (RecordingHttpBackend billing = RecordingHttpBackend.start()) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      AgentGroup agents = AgentGroup.of(
          Gateway.ordersAgent(kafka.bootstrapServers(), billing.uri().toString(), AgentMetrics.listener(registry)));
      try (Gateway gateway = Gateway.start(anyLoopbackPort(), agents, registry)) {
        kafka.produce(orders.records());
        billing.awaitRequests(50, WAIT);
        // The counter moves when the billing service has answered, just after it recorded the request.
        Await.until(WAIT, () -> deliveredTotal(get(gateway, "/metrics").body()) >= 50, "50 delivered in /metrics");

        HttpResponse<String> metrics = get(gateway, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains(DELIVERED + "50.0\n");
        HttpResponse<String> health = get(gateway, "/__health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("{\"status\":\"ok\",\"agents\":{\"orders\":\"");
        HttpResponse<String> hello = get(gateway, "/hello");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hello from the gateway\n");
        assertThat(get(gateway, "/hello/there").statusCode()).isEqualTo(404);
      }

      assertThat(agents.agents()).extracting(AsyncAgent::state).containsExactly(AgentState.STOPPED);
      assertThat(billing.requests()).hasSize(50).allSatisfy(request -> assertThat(request.path()).isEqualTo("/orders"));
      assertThat(billing.requests()).extracting(RecordedRequest::bodyAsString)
          .containsExactlyInAnyOrderElementsOf(orders.values());
    }
    assertThat(kafka.committedOffsets("gateway-orders", "orders")).isEqualTo(kafka.endOffsets("orders"));
  }

  @Test
  void closingRefusesNewRequestsFirstThenDrainsTheAgentsThenStopsTheServer(EmbeddedKafka kafka) throws Exception {
    String topic = EmbeddedKafka.uniqueTopic("slow");
    String group = EmbeddedKafka.uniqueGroup("slow");
    kafka.createTopic(topic, 1);
    CountDownLatch taken = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // A sink that holds its event until the test lets it go, so the close is caught while the agent drains.
    BackendSink held = BackendSink.blocking(event -> {
      taken.countDown();
      release.await(1, TimeUnit.MINUTES);
    });
    AsyncAgent agent = AsyncAgent.builder()
        .name("slow")
        .topics(topic)
        .timeout(WAIT)
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.of(group))
            .build())
        .sink(held)
        .build();

    Gateway gateway = Gateway.start(anyLoopbackPort(), AgentGroup.of(agent),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try {
      kafka.produce(List.of(new ProducerRecord<>(topic, null, "{\"order\":1}".getBytes(UTF_8))));
      Await.until(WAIT, () -> taken.getCount() == 0, "the sink to take the event");
      assertThat(get(gateway, "/hello").statusCode()).isEqualTo(200);

      CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
      // The agent is stopping once health says so; the gateway refused its own route before it began.
      Await.until(WAIT, () -> get(gateway, "/__health").statusCode() == 503, "/__health to answer 503");
      assertThat(get(gateway, "/__health").body())
          .contains("\"status\":\"unhealthy\"", "\"unhealthy\":{\"slow\":\"STOPPING\"}");
      HttpResponse<String> hello = get(gateway, "/hello");
      assertThat(hello.statusCode()).isEqualTo(503);
      assertThat(hello.body()).isEqualTo("shutting down\n");
      assertThat(closing).isNotDone();

      release.countDown();
      closing.get(1, TimeUnit.MINUTES);
    } finally {
      release.countDown();
      gateway.close();
    }

    assertThat(agent.state()).isEqualTo(AgentState.STOPPED);
    assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
    assertThatThrownBy(() -> client.send(request(gateway, "/hello"), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  private static HttpRequest request(Gateway gateway, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  private HttpResponse<String> get(Gateway gateway, String path) {
    try {
      return client.send(request(gateway, path), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while asking for " + path, e);
    }
  }

  /** The value of the delivered counter of the orders agent in a Prometheus scrape; 0 before its first event. */
  private static double deliveredTotal(String scrape) {
    return scrape.lines().filter(line -> line.startsWith(DELIVERED))
        .mapToDouble(line -> Double.parseDouble(line.substring(DELIVERED.length())))
        .findFirst().orElse(0);
  }
}
