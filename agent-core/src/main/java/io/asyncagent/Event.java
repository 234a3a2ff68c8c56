package io.asyncagent;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One event taken from a topic, as a {@link BackendSink} receives it: the body, the key, the headers and
 * the coordinates it came from.
 *
 * <p>Immutable. Accessors that return arrays return copies, so a sink may keep or change what it gets;
 * {@link #bodyBuffer()} gives read-only access without a copy. Events compare by identity: two records
 * with the same content at different offsets are different events.
 */
public final class Event {
  private static final byte[] EMPTY = new byte[0];

  private final Coordinates coordinates;
  private final long timestampMillis;
  private final byte[] key;
  private final byte[] body;
  private final List<Header> headers;
  private final int byteSize;

  private Event(Builder builder) {
    this.coordinates = new Coordinates(builder.topic, builder.partition, builder.offset);
    this.timestampMillis = builder.timestampMillis;
    this.key = builder.key;
    this.body = builder.body;
    this.headers = List.copyOf(builder.headers);
    int size = body.length + (key == null ? 0 : key.length);
    for (Header header : headers) {
      size += header.name().length() + header.valueSize();
    }
    this.byteSize = size;
  }

  /**
   * Starts an event at the given coordinates. Drivers build events; sinks and tests only read them.
   *
   * @param topic the topic (or, for drivers without topics, the source's name)
   * @param partition the partition, {@code >= 0}
   * @param offset the offset within the partition, {@code >= 0}
   * @return a builder of an event with no key, an empty body, no headers and timestamp 0
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException if {@code partition} or {@code offset} is negative
   */
  public static Builder builder(String topic, int partition, long offset) {
    return new Builder(topic, partition, offset);
  }

  /** {@return where the event comes from} */
  public Coordinates coordinates() {
    return coordinates;
  }

  /** {@return the topic the event was read from} */
  public String topic() {
    return coordinates.topic();
  }

  /** {@return the partition the event was read from} */
  public int partition() {
    return coordinates.partition();
  }

  /** {@return the event's offset within its partition} */
  public long offset() {
    return coordinates.offset();
  }

  /** {@return the time the source stamped on the event (for Kafka, the record timestamp)} */
  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  /** {@return the record timestamp in milliseconds since the epoch; cheaper than {@link #timestamp()}} */
  public long timestampMillis() {
    return timestampMillis;
  }

  /** {@return a copy of the key, or empty when the record has no key} */
  public Optional<byte[]> key() {
    return key == null ? Optional.empty() : Optional.of(key.clone());
  }

  /** {@return the key decoded as UTF-8 (invalid bytes become U+FFFD), or empty when there is none} */
  public Optional<String> keyAsString() {
    return key == null ? Optional.empty() : Optional.of(new String(key, StandardCharsets.UTF_8));
  }

  /** {@return a copy of the body; empty, never null, when the record has no value} */
  public byte[] body() {
    return body.clone();
  }

  /** {@return a read-only view of the body, without copying it} */
  public ByteBuffer bodyBuffer() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  /** {@return the body decoded as UTF-8; bytes that are not valid UTF-8 become U+FFFD} */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** {@return the length of the body in bytes} */
  public int bodySize() {
    return body.length;
  }

  /**
   * Returns the bytes the event holds: body, key, and header names and values. The agent's
   * {@code maxBufferedBytes} counts this.
   *
   * @return the size in bytes, {@code >= 0}; header names are counted as one byte per character
   */
  public int byteSize() {
    return byteSize;
  }

  /** {@return the headers in the order the source gave them, names repeated where the source repeats them} */
  public List<Header> headers() {
    return headers;
  }

  /**
   * Returns the value of the last header called {@code name} (names match exactly, case included),
   * decoded as UTF-8. The last one wins, as in KrakenD.
   *
   * @param name the header's name
   * @return the value, or empty when the event has no such header
   * @throws NullPointerException if {@code name} is null
   */
  public Optional<String> header(String name) {
    requireNonNull(name, "name");
    for (int i = headers.size() - 1; i >= 0; i--) {
      Header header = headers.get(i);
      if (header.name().equals(name)) {
        return Optional.of(header.valueAsString());
      }
    }
    return Optional.empty();
  }

  /** Returns the coordinates and the sizes; never the body or header values, which may be sensitive. */
  @Override
  public String toString() {
    return "Event{" + coordinates + ", " + body.length + " bytes, " + headers.size() + " headers}";
  }

  /** Builds an {@link Event}. Not thread-safe; the arrays passed in are not copied. */
  public static final class Builder {
    private final String topic;
    private final int partition;
    private final long offset;
    private long timestampMillis;
    private byte[] key;
    private byte[] body = EMPTY;
    private final List<Header> headers = new ArrayList<>(4);

    private Builder(String topic, int partition, long offset) {
      requireNonNull(topic, "topic");
      if (partition < 0) {
        throw new IllegalArgumentException("partition must be >= 0, but was " + partition);
      }
      if (offset < 0) {
        throw new IllegalArgumentException("offset must be >= 0, but was " + offset);
      }
      this.topic = topic;
      this.partition = partition;
      this.offset = offset;
    }

    /**
     * Sets the timestamp in milliseconds since the epoch. Default 0.
     *
     * @param timestampMillis the timestamp; any value
     * @return this builder
     */
    public Builder timestampMillis(long timestampMillis) {
      this.timestampMillis = timestampMillis;
      return this;
    }

    /**
     * Sets the key. The array is taken as is, not copied: drivers hand over arrays they do not reuse. Default
     * none.
     *
     * @param key the key, or {@code null} for none
     * @return this builder
     */
    public Builder key(byte[] key) {
      this.key = key;
      return this;
    }

    /**
     * Sets the body. The array is taken as is, not copied. Default empty.
     *
     * @param body the body, or {@code null} for none (read as empty)
     * @return this builder
     */
    public Builder body(byte[] body) {
      this.body = body == null ? EMPTY : body;
      return this;
    }

    /**
     * Appends a header. Default: no headers.
     *
     * @param header the header, added after those added before
     * @return this builder
     * @throws NullPointerException if {@code header} is null
     */
    public Builder header(Header header) {
      headers.add(requireNonNull(header, "header"));
      return this;
    }

    /**
     * Builds the event.
     *
     * @return a new event
     */
    public Event build() {
      return new Event(this);
    }
  }
}
