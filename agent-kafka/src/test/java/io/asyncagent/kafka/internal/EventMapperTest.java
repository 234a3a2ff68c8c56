package io.asyncagent.kafka.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.Event;
import io.asyncagent.Header;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class EventMapperTest {

  private static ConsumerRecord<byte[], byte[]> record(String key, String value, RecordHeaders headers) {
    return new ConsumerRecord<>("orders", 2, 77, 1_700_000_000_000L, TimestampType.CREATE_TIME,
        -1, -1, key == null ? null : key.getBytes(UTF_8), value == null ? null : value.getBytes(UTF_8),
        headers, Optional.empty());
  }

  @Test
  void takesTheValueAsBodyAndKeepsCoordinatesKeyTimestampAndHeaders() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace", "t1".getBytes(UTF_8));

    Event event = new EventMapper(null).toEvent(record("k", "{\"a\":1}", headers));

    assertThat(event.coordinates()).hasToString("orders-2@77");
    assertThat(event.timestampMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(event.bodyAsString()).isEqualTo("{\"a\":1}");
    assertThat(event.keyAsString()).contains("k");
    assertThat(event.headers()).containsExactly(Header.of("trace", "t1"));
  }

  @Test
  void putsANonEmptyKeyUnderKeyMetaReplacingARecordHeaderOfThatName() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("Message-Id", "from-header".getBytes(UTF_8));
    headers.add("trace", "t1".getBytes(UTF_8));

    Event event = new EventMapper("Message-Id").toEvent(record("key-7", "v", headers));

    assertThat(event.headers()).containsExactly(Header.of("trace", "t1"), Header.of("Message-Id", "key-7"));
  }

  @Test
  void leavesHeadersAloneWhenTheKeyIsMissingOrEmpty() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("Message-Id", "from-header".getBytes(UTF_8));
    EventMapper mapper = new EventMapper("Message-Id");

    assertThat(mapper.toEvent(record(null, "v", headers)).headers())
        .containsExactly(Header.of("Message-Id", "from-header"));
    assertThat(mapper.toEvent(record("", "v", headers)).headers())
        .containsExactly(Header.of("Message-Id", "from-header"));
  }

  @Test
  void readsANullValueAsAnEmptyBody() {
    Event event = new EventMapper(null).toEvent(record("k", null, new RecordHeaders()));

    assertThat(event.body()).isEmpty();
  }
}
