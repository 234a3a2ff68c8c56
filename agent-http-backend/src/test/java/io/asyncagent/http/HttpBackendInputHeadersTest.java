package io.asyncagent.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.Event;
import io.asyncagent.Header;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KrakenD's {@code input_headers}: which event headers a backend sends. */
class HttpBackendInputHeadersTest {
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
  void sendsEveryEventHeaderByDefault() throws Exception {
    RecordedRequest request = deliver(builder());

    assertThat(request.header("Message-Id")).contains("k1");
    assertThat(request.header("X-Trace")).contains("t1");
    assertThat(request.header("X-Other")).contains("o1");
  }

  @Test
  void sendsOnlyTheNamedHeadersComparedIgnoringCase() throws Exception {
    RecordedRequest request = deliver(builder().inputHeaders(List.of("message-id", "X-TRACE")));

    assertThat(request.header("Message-Id")).contains("k1");
    assertThat(request.header("X-Trace")).contains("t1");
    assertThat(request.header("X-Other")).isEmpty();
  }

  @Test
  void anEmptyListSendsNoEventHeaderButStillTheCoordinatesAndTheHostsCredentials() throws Exception {
    String host = "http://user:pass@" + server.uri().getAuthority();
    RecordedRequest request = deliver(HttpBackend.builder().host(host).urlPattern("/events")
        .inputHeaders(List.of()).forwardCoordinates(true));

    assertThat(request.header("Message-Id")).isEmpty();
    assertThat(request.header("X-Trace")).isEmpty();
    assertThat(request.header("X-Kafka-Topic")).contains("orders");
    assertThat(request.header("Authorization")).contains("Basic dXNlcjpwYXNz");
  }

  @Test
  void allInputHeadersUndoesTheList() throws Exception {
    HttpBackend.Builder builder = builder().inputHeaders(List.of("Message-Id")).allInputHeaders();

    RecordedRequest request = deliver(builder);

    assertThat(request.header("X-Other")).contains("o1");
  }

  @Test
  void keepsTheListLowerCasedAndCopiesItToANewBuilder() {
    try (HttpBackend backend = builder().inputHeaders(List.of("Message-Id", "message-id")).build();
        HttpBackend copy = backend.toBuilder().build()) {
      assertThat(backend.inputHeaders()).contains(Set.of("message-id"));
      assertThat(copy.inputHeaders()).isEqualTo(backend.inputHeaders());
      assertThat(builder().build().inputHeaders()).isEqualTo(Optional.empty());
    }
  }

  @Test
  void rejectsANameThatIsNotAnHttpToken() {
    assertThatThrownBy(() -> builder().inputHeaders(List.of("Message-Id", "Bad Header")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputHeaders[1] must be an HTTP header name, but was 'Bad Header'");
  }

  private HttpBackend.Builder builder() {
    return HttpBackend.builder().host(server.uri().toString()).urlPattern("/events");
  }

  private RecordedRequest deliver(HttpBackend.Builder builder) throws Exception {
    try (HttpBackend backend = builder.build()) {
      Event event = Event.builder("orders", 0, 7).body(new byte[] {1})
          .header(Header.of("Message-Id", "k1"))
          .header(Header.of("X-Trace", "t1"))
          .header(Header.of("X-Other", "o1"))
          .build();
      backend.deliver(event).toCompletableFuture().get(10, SECONDS);
    }
    assertThat(server.requests()).hasSize(1);
    return server.requests().get(0);
  }
}
