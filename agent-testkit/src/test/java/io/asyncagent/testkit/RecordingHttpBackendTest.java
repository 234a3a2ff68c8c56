package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordingHttpBackendTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
  private final List<RecordingHttpBackend> backends = new ArrayList<>();

  @AfterEach
  void closeBackends() {
    backends.forEach(RecordingHttpBackend::close);
  }

  @Test
  void recordsMethodPathHeadersAndBody() throws Exception {
    RecordingHttpBackend backend = track(RecordingHttpBackend.start());
    Instant before = Instant.now();

    HttpResponse<Void> response =
        client.send(
            HttpRequest.newBuilder(URI.create(backend.url("/events/orders?source=kafka&x=a%20b")))
                .header("Content-Type", "application/json")
                .header("X-Event-Id", "42")
                .POST(BodyPublishers.ofString("{\"id\":42}"))
                .build(),
            BodyHandlers.discarding());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(backend.requestCount()).isEqualTo(1);
    RecordedRequest request = backend.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/events/orders?source=kafka&x=a%20b");
    assertThat(request.header("Content-Type")).isEqualTo(Optional.of("application/json"));
    assertThat(request.header("X-Event-Id")).isEqualTo(Optional.of("42"));
    assertThat(request.header("Content-Length")).isEqualTo(Optional.of("9"));
    assertThat(request.header("X-Absent")).isEqualTo(Optional.empty());
    assertThat(request.bodyAsString()).isEqualTo("{\"id\":42}");
    assertThat(request.body()).isEqualTo("{\"id\":42}".getBytes(UTF_8));
    assertThat(request.receivedAt()).isBetween(before, Instant.now());
    assertThat(request.toString()).isEqualTo("POST /events/orders?source=kafka&x=a%20b (9 bytes)");
  }

  @Test
  void recordsRequestsWithoutBodyAsEmpty() throws Exception {
    RecordingHttpBackend backend = track(RecordingHttpBackend.start());

    send(backend, HttpRequest.newBuilder(URI.create(backend.url("/health"))).GET().build());

    RecordedRequest request = backend.requests().get(0);
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.path()).isEqualTo("/health");
    assertThat(request.body()).isEmpty();
    assertThat(request.bodyAsString()).isEmpty();
  }

  @Test
  void looksUpHeadersIgnoringCase() throws Exception {
    RecordingHttpBackend backend = track(RecordingHttpBackend.start());

    send(
        backend,
        HttpRequest.newBuilder(URI.create(backend.url("/")))
            .header("X-Trace", "first")
            .header("X-Trace", "second")
            .POST(BodyPublishers.ofString("x"))
            .build());

    RecordedRequest request = backend.requests().get(0);
    assertThat(request.headers().get("x-trace")).isEqualTo(List.of("first", "second"));
    assertThat(request.headers().get("X-TRACE")).isEqualTo(List.of("first", "second"));
    assertThat(request.header("x-TrAcE")).isEqualTo(Optional.of("first"));
    assertThatThrownBy(() -> request.headers().put("X-Other", List.of("y")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void bodyReturnsACopy() {
    byte[] body = {1, 2, 3};
    RecordedRequest request = RecordedRequest.of("POST", "/", Map.of(), body, Instant.EPOCH);
    body[0] = 9;
    request.body()[1] = 9;

    assertThat(request.body()).isEqualTo(new byte[] {1, 2, 3});
  }

  @Test
  void answersEveryRequestWithTheConfiguredStatus() throws Exception {
    RecordingHttpBackend backend = track(RecordingHttpBackend.builder().status(503).start());

    assertThat(send(backend, post(backend, "/a", "one"))).isEqualTo(503);
    assertThat(send(backend, post(backend, "/b", "two"))).isEqualTo(503);

    assertThat(backend.requests()).extracting(RecordedRequest::bodyAsString).containsExactly("one", "two");
  }

  @Test
  void responderChoosesTheStatusPerRequest() throws Exception {
    RecordingHttpBackend backend =
        track(
            RecordingHttpBackend.builder()
                .responder(request -> request.bodyAsString().startsWith("bad") ? 400 : 204)
                .start());

    assertThat(send(backend, post(backend, "/", "good"))).isEqualTo(204);
    assertThat(send(backend, post(backend, "/", "bad input"))).isEqualTo(400);
    assertThat(backend.requestCount()).isEqualTo(2);
  }

  @Test
  void respondWithSwitchesTheStatusAtRuntime() throws Exception {
    RecordingHttpBackend backend = track(RecordingHttpBackend.start());
    assertThat(send(backend, post(backend, "/", "1"))).isEqualTo(200);

    backend.respondWith(request -> 429);
    assertThat(send(backend, post(backend, "/", "2"))).isEqualTo(429);

    backend.respondWith(request -> 200);
    assertThat(send(backend, post(backend, "/", "3"))).isEqualTo(200);
    assertThat(backend.requests()).extracting(RecordedRequest::bodyAsString).containsExactly("1", "2", "3");
  }

  @Test
  void answers500ButStillRecordsWhenTheResponderFails() throws Exception {
    RecordingHttpBackend backend =
        track(
            RecordingHttpBackend.builder()
                .responder(
                    request -> {
                      if (request.path().equals("/throw")) {
                        throw new IllegalStateException("boom");
                      }
                      return 42;
                    })
                .start());

    assertThat(send(backend, post(backend, "/throw", "x"))).isEqualTo(500);
    assertThat(send(backend, post(backend, "/invalid", "y"))).isEqualTo(500);
    assertThat(backend.requests()).extracting(RecordedRequest::path).containsExactly("/throw", "/invalid");
  }

  @Test
  void awaitRequestsReturnsOnceEnoughRequestsArrived() {
    RecordingHttpBackend backend = track(RecordingHttpBackend.start());
    List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      responses.add(client.sendAsync(post(backend, "/", "r" + i), BodyHandlers.discarding()));
    }

    backend.awaitRequests(20, WAIT);

    assertThat(backend.requestCount()).isEqualTo(20);
    assertThat(responses).allSatisfy(response -> assertThat(response.join().statusCode()).isEqualTo(200));
  }

  @Test
  void awaitRequestsTimesOutNamingExpectedAndActualCounts() throws Exception {
    RecordingHttpBackend backend = track(RecordingHttpBackend.start());
    send(backend, post(backend, "/", "only one"));

    assertThatThrownBy(() -> backend.awaitRequests(2, Duration.ofMillis(100)))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage("expected at least 2 requests within PT0.1S, but got 1");
  }

  @Test
  void awaitRequestsForZeroReturnsAtOnce() {
    RecordingHttpBackend backend = track(RecordingHttpBackend.start());

    backend.awaitRequests(0, Duration.ZERO);

    assertThat(backend.requestCount()).isZero();
  }

  @Test
  void latencyDelaysTheResponseButNotTheRecording() throws Exception {
    Duration latency = Duration.ofMillis(300);
    RecordingHttpBackend backend = track(RecordingHttpBackend.builder().latency(latency).start());
    long start = System.nanoTime();

    CompletableFuture<HttpResponse<Void>> response =
        client.sendAsync(post(backend, "/slow", "x"), BodyHandlers.discarding());
    backend.awaitRequests(1, WAIT);

    assertThat(backend.requests()).extracting(RecordedRequest::path).containsExactly("/slow");
    assertThat(response.get().statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(latency);
  }

  @Test
  void latencyDoesNotLimitConcurrentRequestsToTheHandlerThreads() {
    RecordingHttpBackend backend = track(RecordingHttpBackend.builder().latency(Duration.ofSeconds(2)).start());

    for (int i = 0; i < 30; i++) {
      client.sendAsync(post(backend, "/", "r" + i), BodyHandlers.discarding());
    }

    // 30 requests, 8 handler threads: if handlers slept for the latency, this would take several seconds.
    backend.awaitRequests(30, Duration.ofMillis(1500));
    assertThat(backend.requestCount()).isEqualTo(30);
  }

  @Test
  void requestsAreASnapshotInArrivalOrderAndClearForgetsThem() throws Exception {
    RecordingHttpBackend backend = track(RecordingHttpBackend.start());
    send(backend, post(backend, "/1", "a"));
    send(backend, post(backend, "/2", "b"));
    List<RecordedRequest> snapshot = backend.requests();

    backend.clear();
    send(backend, post(backend, "/3", "c"));

    assertThat(snapshot).extracting(RecordedRequest::path).containsExactly("/1", "/2");
    assertThat(backend.requests()).extracting(RecordedRequest::path).containsExactly("/3");
    assertThat(backend.requestCount()).isEqualTo(1);
    assertThatThrownBy(() -> snapshot.add(snapshot.get(0))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void listensOnLoopbackAndBuildsUrlsFromPaths() {
    RecordingHttpBackend backend = track(RecordingHttpBackend.start());

    assertThat(backend.uri().getScheme()).isEqualTo("http");
    assertThat(backend.uri().getHost()).isEqualTo("127.0.0.1");
    assertThat(backend.uri().getPort()).isPositive();
    assertThat(backend.uri().getPath()).isEmpty();
    assertThat(backend.url("/events?x=1")).isEqualTo("http://127.0.0.1:" + backend.uri().getPort() + "/events?x=1");
    assertThatThrownBy(() -> backend.url("events"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path must start with '/', but was 'events'");
  }

  @Test
  void handlerThreadsAreNamedDaemons() throws Exception {
    RecordingHttpBackend backend = track(RecordingHttpBackend.start());
    send(backend, post(backend, "/", "x"));

    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(thread -> thread.getName().startsWith("recording-http-"))
        .isNotEmpty()
        .allSatisfy(thread -> assertThat(thread.isDaemon()).isTrue());
  }

  @Test
  void closeStopsTheServerAndIsIdempotent() {
    RecordingHttpBackend backend = RecordingHttpBackend.start();
    HttpRequest request = post(backend, "/", "x");

    backend.close();
    backend.close();

    assertThatThrownBy(() -> client.send(request, BodyHandlers.discarding())).isInstanceOf(IOException.class);
  }

  @Test
  void builderRejectsInvalidValuesAtOnce() {
    RecordingHttpBackend.Builder builder = RecordingHttpBackend.builder();

    assertThatThrownBy(() -> builder.status(99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status must be between 200 and 599, but was 99");
    assertThatThrownBy(() -> builder.status(600))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status must be between 200 and 599, but was 600");
    assertThatThrownBy(() -> builder.latency(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latency must be >= 0, but was PT-1S");
    assertThatThrownBy(() -> builder.responder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("responder");
  }

  @Test
  void awaitRequestsRejectsANegativeCount() {
    RecordingHttpBackend backend = track(RecordingHttpBackend.start());

    assertThatThrownBy(() -> backend.awaitRequests(-1, WAIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be >= 0, but was -1");
  }

  private RecordingHttpBackend track(RecordingHttpBackend backend) {
    backends.add(backend);
    return backend;
  }

  private static HttpRequest post(RecordingHttpBackend backend, String path, String body) {
    return HttpRequest.newBuilder(URI.create(backend.url(path))).timeout(WAIT).POST(BodyPublishers.ofString(body))
        .build();
  }

  private int send(RecordingHttpBackend backend, HttpRequest request) throws IOException, InterruptedException {
    assertThat(request.uri().getPort()).isEqualTo(backend.uri().getPort());
    return client.send(request, BodyHandlers.discarding()).statusCode();
  }
}
