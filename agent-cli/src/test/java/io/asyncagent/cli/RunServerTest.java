package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.AgentHealth;
import io.asyncagent.AgentState;
import io.asyncagent.GroupHealth;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoints of {@code run --port}, on loopback, with a health document the test sets; no agent, no broker. */
final class RunServerTest {
  private static final Instant NOW = Instant.parse("2026-11-26T23:59:59.001Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final AtomicReference<GroupHealth> health = new AtomicReference<>(health(AgentState.RUNNING));
  private final Set<Thread> threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
  private RunServer server;

  @BeforeEach
  void startTheServer() throws IOException {
    server = RunServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.start(health::get);
  }

  @AfterEach
  void closeTheServer() {
    server.close();
  }

  @Test
  void healthIsKrakendsDocumentWithStatus200WhileEveryAgentIsHealthy() throws Exception {
    HttpResponse<String> response = get("/__health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo("{\"status\":\"ok\",\"agents\":{\"stocks\":\"2026-11-26T23:59:59.001Z\"},"
        + "\"now\":\"2026-11-26T23:59:59.001Z\"}");
  }

  @Test
  void healthIs503WhenAnAgentIsNotHealthy() throws Exception {
    health.set(health(AgentState.STOPPING));

    HttpResponse<String> response = get("/__health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo("{\"status\":\"unhealthy\",\"agents\":{\"stocks\":"
        + "\"2026-11-26T23:59:59.001Z\"},\"now\":\"2026-11-26T23:59:59.001Z\","
        + "\"unhealthy\":{\"stocks\":\"STOPPING\"}}");
  }

  @Test
  void metricsAreInPrometheusTextFormatWithTheJvmsMeters() throws Exception {
    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body().lines()).anyMatch(line -> line.startsWith("jvm_memory_used_bytes{"))
        .anyMatch(line -> line.startsWith("process_uptime_seconds "))
        .contains("# TYPE jvm_threads_live_threads gauge");
  }

  @Test
  void aQueryStringDoesNotChangeThePath() throws Exception {
    assertThat(get("/__health?verbose=1").statusCode()).isEqualTo(200);
  }

  @Test
  void anyOtherPathIsNotFound() throws Exception {
    for (String path : new String[] {"/", "/health", "/__health/", "/metrics/x"}) {
      HttpResponse<String> response = get(path);

      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
      assertThat(response.body()).isEqualTo("Not found: " + path + "; try /__health or /metrics\n");
    }
  }

  @Test
  void anyOtherMethodIsNotAllowedAndSaysWhichIs() throws Exception {
    HttpResponse<String> post = send(request("/metrics").POST(HttpRequest.BodyPublishers.ofString("x")));
    HttpResponse<String> delete = send(request("/__health").DELETE());

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    assertThat(post.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(post.body()).isEqualTo("Method not allowed: POST; /metrics answers GET only\n");
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.body()).isEqualTo("Method not allowed: DELETE; /__health answers GET only\n");
  }

  @Test
  void itsThreadsAreDaemonsAndTheHandlersAreNamedAfterTheCli() throws Exception {
    get("/__health");

    assertThat(Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !threadsBefore.contains(thread) && thread.isAlive())
        .filter(thread -> thread.getName().startsWith("asyncagent-cli-http-")
            || thread.getName().equals("HTTP-Dispatcher")))
        .isNotEmpty()
        .allMatch(Thread::isDaemon, "is a daemon")
        .anyMatch(thread -> thread.getName().equals("asyncagent-cli-http-1"));
  }

  @Test
  void closingStopsListeningAndIsIdempotent() {
    URI uri = uri("/__health");

    server.close();
    server.close();

    assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
  }

  @Test
  void aServerStartsOnlyOnce() {
    assertThatThrownBy(() -> server.start(health::get)).isInstanceOf(IllegalStateException.class)
        .hasMessage("the server was started or closed before");
  }

  @Test
  void aPortInUseCannotBeBound() {
    assertThatThrownBy(() -> RunServer.bind(server.address())).isInstanceOf(IOException.class)
        .hasMessage("Address already in use");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  private static GroupHealth health(AgentState state) {
    return new GroupHealth(NOW, Map.of("stocks", new AgentHealth("stocks", state, true, Optional.of(NOW),
        Optional.empty(), Optional.empty(), OptionalLong.empty(), 0, 0, Optional.empty())));
  }
}
