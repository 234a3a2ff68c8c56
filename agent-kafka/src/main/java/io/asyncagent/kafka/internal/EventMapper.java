package io.asyncagent.kafka.internal;

import io.asyncagent.Event;
import io.asyncagent.Header;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a Kafka record into an {@link Event}: the value becomes the body, record headers become
 * headers, and — with {@code key_meta} — a non-empty key becomes a header of that name, replacing a
 * record header of the same name (as KrakenD's Kafka client does).
 */
final class EventMapper {
  private final String keyMeta; // null: the key is not copied

  EventMapper(String keyMeta) {
    this.keyMeta = keyMeta;
  }

  Event toEvent(ConsumerRecord<byte[], byte[]> record) {
    byte[] key = record.key();
    boolean keyAsHeader = keyMeta != null && key != null && key.length > 0;
    Event.Builder event = Event.builder(record.topic(), record.partition(), record.offset())
        .timestampMillis(record.timestamp())
        .key(key)
        .body(record.value());
    for (org.apache.kafka.common.header.Header header : record.headers()) {
      if (!(keyAsHeader && header.key().equals(keyMeta))) {
        event.header(Header.of(header.key(), header.value()));
      }
    }
    if (keyAsHeader) {
      event.header(Header.of(keyMeta, key));
    }
    return event.build();
  }
}
