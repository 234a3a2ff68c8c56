package io.asyncagent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTest {

  @Test
  void carriesItsCoordinatesKeyBodyAndHeaders() {
    Event event = Event.builder("orders", 3, 1042)
        .timestampMillis(1_700_000_000_000L)
        .key("k1".getBytes(UTF_8))
        .body("{\"id\":1}".getBytes(UTF_8))
        .header(Header.of("trace", "abc"))
        .build();

    assertThat(event.coordinates()).isEqualTo(new Coordinates("orders", 3, 1042));
    assertThat(event.coordinates()).hasToString("orders-3@1042");
    assertThat(event.timestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(event.keyAsString()).contains("k1");
    assertThat(event.bodyAsString()).isEqualTo("{\"id\":1}");
    assertThat(event.bodySize()).isEqualTo(8);
    assertThat(event.headers()).containsExactly(Header.of("trace", "abc"));
    assertThat(event).hasToString("Event{orders-3@1042, 8 bytes, 1 headers}");
  }

  @Test
  void handsOutCopiesSoASinkCannotChangeTheEvent() {
    Event event = Event.builder("t", 0, 0).key(new byte[] {1}).body(new byte[] {2}).build();

    event.body()[0] = 9;
    event.key().orElseThrow()[0] = 9;

    assertThat(event.body()).containsExactly(2);
    assertThat(event.key()).hasValueSatisfying(key -> assertThat(key).containsExactly(1));
    assertThat(event.bodyBuffer().isReadOnly()).isTrue();
  }

  @Test
  void readsAMissingKeyAndBodyAsAbsentAndEmpty() {
    Event event = Event.builder("t", 0, 0).body(null).build();

    assertThat(event.key()).isEmpty();
    assertThat(event.body()).isEmpty();
    assertThat(event.headers()).isEmpty();
  }

  @Test
  void findsTheLastHeaderOfAName() {
    Event event = Event.builder("t", 0, 0)
        .header(Header.of("a", "1"))
        .header(Header.of("a", "2"))
        .header(Header.of("A", "3"))
        .build();

    assertThat(event.header("a")).contains("2");
    assertThat(event.header("b")).isEmpty();
  }

  @Test
  void decodesInvalidUtf8WithReplacementCharacters() {
    Header header = Header.of("bin", new byte[] {(byte) 0xff, 'a'});

    assertThat(header.valueAsString()).isEqualTo("\uFFFDa");
    assertThat(Header.of("n", (byte[]) null).value()).isEmpty();
  }

  @Test
  void rejectsNegativeCoordinates() {
    assertThatThrownBy(() -> Event.builder("t", -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("partition must be >= 0, but was -1");
    assertThatThrownBy(() -> Event.builder("t", 0, -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("offset must be >= 0, but was -5");
  }

  @Test
  void aHeaderPrintsItsNameAndSizeButNeverItsValue() {
    assertThat(Header.of("Authorization", "Bearer s3cr3t")).hasToString("Authorization: (13 bytes)");
  }

  @Test
  void anInvalidConfigExceptionSurvivesSerialisationWithItsViolations() throws Exception {
    InvalidConfigException thrown = new InvalidConfigException("krakend.json",
        java.util.List.of(new Violation("async_agent[0].name", "is required")));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(thrown);
    }
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      InvalidConfigException read = (InvalidConfigException) in.readObject();
      assertThat(read.violations()).containsExactly(new Violation("async_agent[0].name", "is required"));
      assertThat(read).hasMessage("invalid krakend.json: async_agent[0].name: is required");
    }
  }
}
