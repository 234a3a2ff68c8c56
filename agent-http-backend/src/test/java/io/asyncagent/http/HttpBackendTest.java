package io.asyncagent.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
import io.asyncagent.Header;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import java.net.ConnectException;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpBackendTest {
  private static final Duration AWAIT = Duration.ofSeconds(10);

  private RecordingHttpBackend server;

  @BeforeEach
  void startServer() {
    server = RecordingHttpBackend.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void postsTheBodyUnchangedToHostPlusUrlPatternKeepingTheQuery() throws Exception {
    HttpBackend backend = backendFor(server, "/events?source=kafka");

    backend.deliver(event("{\"id\":7}".getBytes(UTF_8))).toCompletableFuture().get(10, SECONDS);

    assertThat(server.requests()).hasSize(1);
    RecordedRequest request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/events?source=kafka");
    assertThat(request.bodyAsString()).isEqualTo("{\"id\":7}");
    assertThat(request.header("Content-Length")).contains("8");
  }

  @Test
  void postsBinaryBodiesByteForByte() throws Exception {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    HttpBackend backend = backendFor(server, "/events");

    backend.deliver(event(everyByte)).toCompletableFuture().get(10, SECONDS);

    assertThat(server.requests()).hasSize(1);
    assertThat(server.requests().get(0).body()).containsExactly(everyByte);
    assertThat(server.requests().get(0).header("Content-Length")).contains("256");
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 204, 299})
  void completesNormallyOnAny2xxStatus(int status) throws Exception {
    server.respondWith(request -> status);
    HttpBackend backend = backendFor(server, "/events");

    CompletionStage<Void> stage = backend.deliver(event("ok".getBytes(UTF_8)));

    assertThat(stage.toCompletableFuture().get(10, SECONDS)).isNull();
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void sendsAnEmptyBodyAsAnEmptyBody() throws Exception {
    HttpBackend backend = backendFor(server, "/events");

    backend.deliver(Event.builder("orders", 0, 7).build()).toCompletableFuture().get(10, SECONDS);

    assertThat(server.requests()).hasSize(1);
    RecordedRequest request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.body()).isEmpty();
    assertThat(request.header("Content-Length")).contains("0");
  }

  @Test
  void forwardsEventHeadersAsRequestHeaders() throws Exception {
    HttpBackend backend = backendFor(server, "/events");
    Event event = Event.builder("orders", 0, 7)
        .body("x".getBytes(UTF_8))
        .header(Header.of("Message-Id", "key-7"))
        .header(Header.of("X-Trace", "abc"))
        .build();

    backend.deliver(event).toCompletableFuture().get(10, SECONDS);

    RecordedRequest request = server.requests().get(0);
    assertThat(request.header("Message-Id")).contains("key-7");
    assertThat(request.header("X-Trace")).contains("abc");
    assertThat(lowerCaseNames(request))
        .containsExactlyInAnyOrder("content-length", "host", "connection", "user-agent", "message-id", "x-trace");
  }

  @Test
  void sendsEveryValueOfARepeatedHeaderInOrder() throws Exception {
    HttpBackend backend = backendFor(server, "/events");
    Event event = Event.builder("orders", 0, 7)
        .header(Header.of("X-Hop", "first"))
        .header(Header.of("X-Hop", "second"))
        .build();

    backend.deliver(event).toCompletableFuture().get(10, SECONDS);

    assertThat(server.requests().get(0).headers().get("X-Hop")).containsExactly("first", "second");
  }

  @Test
  void leavesOutHeadersTheHttpClientCannotSendAndSendsTheRest() throws Exception {
    HttpBackend backend = backendFor(server, "/events");
    Event event = Event.builder("orders", 0, 7)
        .body("body".getBytes(UTF_8))
        .header(Header.of("Message-Id", "key-7"))
        .header(Header.of("Host", "evil.example"))
        .header(Header.of("Content-Length", "999"))
        .header(Header.of("Connection", "close"))
        .header(Header.of("bad name", "v"))
        .header(Header.of("X-Line-Break", "a\r\nInjected: yes"))
        .header(Header.of("X-Not-Utf8", new byte[] {(byte) 0xFF, (byte) 0xFE}))
        .header(Header.of("X-Trace", "abc"))
        .build();

    CompletionStage<Void> stage = backend.deliver(event);

    assertThat(stage.toCompletableFuture().get(10, SECONDS)).isNull();
    assertThat(server.requests()).hasSize(1);
    RecordedRequest request = server.requests().get(0);
    assertThat(request.header("Message-Id")).contains("key-7");
    assertThat(request.header("X-Trace")).contains("abc");
    assertThat(request.headers().get("Host")).containsExactly(server.uri().getAuthority());
    assertThat(request.headers().get("Content-Length")).containsExactly("4");
    assertThat(request.bodyAsString()).isEqualTo("body");
    assertThat(lowerCaseNames(request))
        .containsExactlyInAnyOrder("content-length", "host", "connection", "user-agent", "message-id", "x-trace");
  }

  @Test
  void leavesOutHeaderValuesThatAreTextButNotAscii() throws Exception {
    HttpBackend backend = backendFor(server, "/events");
    Event event = Event.builder("orders", 0, 7)
        .header(Header.of("X-Cafe", "café"))
        .header(Header.of("X-Euro", "€"))
        .header(Header.of("X-Trace", "abc"))
        .build();

    backend.deliver(event).toCompletableFuture().get(10, SECONDS);

    RecordedRequest request = server.requests().get(0);
    assertThat(request.header("X-Cafe")).isEmpty();
    assertThat(request.header("X-Euro")).isEmpty();
    assertThat(request.header("X-Trace")).contains("abc");
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504, 599})
  void failsRetriablyOnStatusesThatMaySucceedLater(int status) throws Exception {
    server.respondWith(request -> status);
    HttpBackend backend = backendFor(server, "/events");

    DeliveryException failure = deliveryFailure(backend.deliver(event("x".getBytes(UTF_8))));

    assertThat(failure).hasMessage("HTTP " + status + " from POST " + server.uri() + "/events");
    assertThat(failure.status()).hasValue(status);
    assertThat(failure.isRetriable()).isTrue();
    assertThat(failure.getCause()).isNull();
  }

  @Test
  void failsWithTheExactMessageAndStatusOn503() throws Exception {
    server.respondWith(request -> 503);
    HttpBackend backend = backendFor(server, "/events");

    DeliveryException failure = deliveryFailure(backend.deliver(event("x".getBytes(UTF_8))));

    assertThat(failure).hasMessage("HTTP 503 from POST http://127.0.0.1:" + server.uri().getPort() + "/events");
    assertThat(failure.status()).hasValue(503);
    assertThat(failure.isRetriable()).isTrue();
    assertThat(server.requests()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 422})
  void failsWithoutRetryOnOtherClientErrors(int status) throws Exception {
    server.respondWith(request -> status);
    HttpBackend backend = backendFor(server, "/events");

    DeliveryException failure = deliveryFailure(backend.deliver(event("x".getBytes(UTF_8))));

    assertThat(failure).hasMessage("HTTP " + status + " from POST " + server.uri() + "/events");
    assertThat(failure.status()).hasValue(status);
    assertThat(failure.isRetriable()).isFalse();
  }

  @Test
  void treatsARedirectAsAFailureWithoutFollowingIt() throws Exception {
    server.respondWith(request -> 302);
    HttpBackend backend = backendFor(server, "/events");

    DeliveryException failure = deliveryFailure(backend.deliver(event("x".getBytes(UTF_8))));

    assertThat(failure).hasMessage("HTTP 302 from POST " + server.uri() + "/events");
    assertThat(failure.status()).hasValue(302);
    assertThat(failure.isRetriable()).isFalse();
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void failsRetriablyWithoutStatusWhenTheConnectionIsRefused() throws Exception {
    RecordingHttpBackend closed = RecordingHttpBackend.start();
    URI gone = closed.uri();
    closed.close();
    HttpBackend backend = HttpBackend.builder().host(gone.toString()).urlPattern("/events").build();

    DeliveryException failure = deliveryFailure(backend.deliver(event("x".getBytes(UTF_8))));

    assertThat(failure.getMessage())
        .startsWith("POST http://127.0.0.1:" + gone.getPort() + "/events failed: ")
        .contains("Connection refused");
    assertThat(failure.getCause()).isInstanceOf(ConnectException.class);
    assertThat(failure).hasMessage("POST " + gone + "/events failed: " + failure.getCause());
    assertThat(failure.status()).isEmpty();
    assertThat(failure.isRetriable()).isTrue();
  }

  @Test
  void failsRetriablyWithASocketTimeoutWhenTheBackendAnswersTooLate() throws Exception {
    try (RecordingHttpBackend slow = RecordingHttpBackend.builder().latency(Duration.ofSeconds(2)).start()) {
      HttpBackend backend = HttpBackend.builder()
          .host(slow.uri().toString())
          .urlPattern("/events")
          .timeout(Duration.ofMillis(200))
          .build();

      // The backend answers 200 after 2 s: only the 200 ms limit can make this delivery fail.
      DeliveryException failure = deliveryFailure(backend.deliver(event("x".getBytes(UTF_8))));

      assertThat(failure.getCause()).isInstanceOf(SocketTimeoutException.class);
      assertThat(failure).hasMessage("POST " + slow.uri() + "/events failed: " + failure.getCause());
      assertThat(failure.status()).isEmpty();
      assertThat(failure.isRetriable()).isTrue();
      assertThat(slow.requests()).hasSize(1);
    }
  }

  @Test
  void sendsTheConfiguredMethodInUpperCase() throws Exception {
    HttpBackend backend = HttpBackend.builder().host(server.uri().toString()).urlPattern("/events").method("put").build();

    backend.deliver(event("x".getBytes(UTF_8))).toCompletableFuture().get(10, SECONDS);

    assertThat(backend.method()).isEqualTo("PUT");
    assertThat(server.requests()).extracting(RecordedRequest::method).containsExactly("PUT");
    assertThat(server.requests().get(0).bodyAsString()).isEqualTo("x");
  }

  @Test
  void postsByDefault() throws Exception {
    HttpBackend backend = HttpBackend.builder().host(server.uri().toString()).build();

    backend.deliver(event("x".getBytes(UTF_8))).toCompletableFuture().get(10, SECONDS);

    assertThat(backend.method()).isEqualTo("POST");
    assertThat(server.requests()).extracting(RecordedRequest::method).containsExactly("POST");
    assertThat(server.requests()).extracting(RecordedRequest::path).containsExactly("/");
  }

  @Test
  void alternatesBetweenHostsOnConsecutiveDeliveries() throws Exception {
    try (RecordingHttpBackend other = RecordingHttpBackend.start()) {
      HttpBackend backend = HttpBackend.builder()
          .host(server.uri().toString(), other.uri().toString())
          .urlPattern("/events")
          .build();

      for (int i = 0; i < 4; i++) {
        backend.deliver(event(String.valueOf(i).getBytes(UTF_8))).toCompletableFuture().get(10, SECONDS);
      }

      assertThat(server.requests()).extracting(RecordedRequest::bodyAsString).containsExactly("0", "2");
      assertThat(other.requests()).extracting(RecordedRequest::bodyAsString).containsExactly("1", "3");
      assertThat(server.requests()).extracting(RecordedRequest::path).containsExactly("/events", "/events");
      assertThat(other.requests()).extracting(RecordedRequest::path).containsExactly("/events", "/events");
    }
  }

  @Test
  void deliversConcurrentEventsToTheBackend() throws Exception {
    HttpBackend backend = backendFor(server, "/events");
    List<CompletionStage<Void>> stages = new ArrayList<>();

    for (int i = 0; i < 20; i++) {
      stages.add(backend.deliver(event(String.valueOf(i).getBytes(UTF_8))));
    }
    for (CompletionStage<Void> stage : stages) {
      stage.toCompletableFuture().get(10, SECONDS);
    }

    server.awaitRequests(20, AWAIT);
    assertThat(server.requests()).extracting(RecordedRequest::bodyAsString)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 20).mapToObj(String::valueOf).collect(Collectors.toList()));
  }

  @Test
  void describesItselfByMethodAndUrl() {
    HttpBackend backend = backendFor(server, "/events");

    assertThat(backend).hasToString("HttpBackend{POST http://127.0.0.1:" + server.uri().getPort() + "/events}");
  }

  @Test
  void describesSeveralHostsSeparatedByBars() {
    HttpBackend backend = HttpBackend.builder().host("http://a:1", "https://b:2").urlPattern("/events").method("put")
        .build();

    assertThat(backend).hasToString("HttpBackend{PUT http://a:1/events | https://b:2/events}");
  }

  @Test
  void masksUserInfoInToString() {
    HttpBackend backend = HttpBackend.builder().host("http://user:secret@localhost:8080").urlPattern("/events")
        .build();

    assertThat(backend.toString())
        .isEqualTo("HttpBackend{POST http://****@localhost:8080/events}")
        .doesNotContain("secret")
        .doesNotContain("user");
  }

  @Test
  void masksOnlyTheUserInfoNotTheSameTextElsewhereInTheUrl() {
    HttpBackend backend = HttpBackend.builder().host("http://admin@admin:8080").urlPattern("/events").build();

    assertThat(backend).hasToString("HttpBackend{POST http://****@admin:8080/events}");
  }

  @Test
  void masksUserInfoInDeliveryFailures() throws Exception {
    server.respondWith(request -> 503);
    HttpBackend backend = HttpBackend.builder()
        .host("http://user:secret@" + server.uri().getAuthority())
        .urlPattern("/events")
        .build();

    DeliveryException failure = deliveryFailure(backend.deliver(event("x".getBytes(UTF_8))));

    assertThat(failure).hasMessage("HTTP 503 from POST http://****@" + server.uri().getAuthority() + "/events");
  }

  @Test
  void sendsCredentialsInTheHostAsBasicAuthenticationAndNeverPrintsThem() throws Exception {
    HttpBackend backend = HttpBackend.builder()
        .host("http://billing%40corp:s3cr%3At@" + server.uri().getAuthority())
        .urlPattern("/events")
        .build();

    backend.deliver(event("x".getBytes(UTF_8))).toCompletableFuture().get(10, SECONDS);

    String expected = "Basic " + java.util.Base64.getEncoder().encodeToString("billing@corp:s3cr:t".getBytes(UTF_8));
    assertThat(server.requests().get(0).header("Authorization")).contains(expected);
    assertThat(backend.hosts()).containsExactly(server.uri());
    assertThat(backend).hasToString("HttpBackend{POST http://****@" + server.uri().getAuthority() + "/events}");
  }

  @Test
  void aClosedBackendFailsEveryLaterDeliveryWithoutSendingIt() throws Exception {
    HttpBackend backend = backendFor(server, "/events");
    backend.deliver(event("before".getBytes(UTF_8))).toCompletableFuture().get(10, SECONDS);

    backend.close();
    backend.close();

    DeliveryException failure = deliveryFailure(backend.deliver(event("after".getBytes(UTF_8))));
    assertThat(failure.getMessage()).startsWith("POST " + server.uri() + "/events failed: ");
    assertThat(server.requests()).extracting(RecordedRequest::bodyAsString).containsExactly("before");
  }

  private static HttpBackend backendFor(RecordingHttpBackend server, String urlPattern) {
    return HttpBackend.builder().host(server.uri().toString()).urlPattern(urlPattern).build();
  }

  private static Event event(byte[] body) {
    return Event.builder("orders", 0, 7).body(body).build();
  }

  private static List<String> lowerCaseNames(RecordedRequest request) {
    return request.headers().keySet().stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toList());
  }

  private static DeliveryException deliveryFailure(CompletionStage<Void> stage) throws Exception {
    return deliveryFailure(stage, 10, SECONDS);
  }

  /** Waits for {@code stage} to fail and returns its DeliveryException, unwrapped. */
  private static DeliveryException deliveryFailure(CompletionStage<Void> stage, long timeout, TimeUnit unit)
      throws Exception {
    try {
      stage.toCompletableFuture().get(timeout, unit);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause();
      assertThat(cause).isInstanceOf(DeliveryException.class);
      return (DeliveryException) cause;
    }
    throw new AssertionError("expected the delivery to fail, but it succeeded");
  }
}
