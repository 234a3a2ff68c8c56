package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Builds test records that each carry a unique number, so a test can check that every record arrived exactly where
 * it should.
 *
 * <p>Record number {@code i} has:
 *
 * <ul>
 *   <li>the value {@code topic + "#" + i} in UTF-8 (see {@link #valueOf(String, int)} and {@link #numberOf(String)});
 *   <li>the key {@code "key-" + (i % distinctKeys)} in UTF-8, or no key when {@code distinctKeys} is 0;
 *   <li>one header per name given to {@link #header(String)}, whose value is {@code i} as a UTF-8 string;
 *   <li>no partition, so the producer's default partitioner chooses one (by key hash when there is a key).
 * </ul>
 *
 * <p>Instances are immutable: each setter returns a new instance, so a base can be shared and varied. Each setter
 * checks its argument at once. Only kafka-clients and the JDK are needed, so demo programs can use this class.
 *
 * <pre>{@code
 * NumberedRecords batch = NumberedRecords.forTopic(topic).count(1000).distinctKeys(10).header("seq");
 * kafka.produce(batch.records());
 * assertThat(receivedBodies).isEqualTo(batch.values());
 * }</pre>
 */
public final class NumberedRecords {
  private static final String KEY_PREFIX = "key-";
  private static final char SEPARATOR = '#';

  private final String topic;
  private final int count;
  private final int distinctKeys;
  private final List<String> headerNames;
  private final int first;

  private NumberedRecords(String topic, int count, int distinctKeys, List<String> headerNames, int first) {
    this.topic = topic;
    this.count = count;
    this.distinctKeys = distinctKeys;
    this.headerNames = headerNames;
    this.first = first;
  }

  /**
   * Starts a description of records for {@code topic}: no records ({@code count} 0), null keys ({@code distinctKeys}
   * 0), no headers, numbers starting at 0.
   *
   * @param topic the topic every record goes to
   * @return a description with the defaults above
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException if {@code topic} is empty or contains {@code '#'} (which Kafka forbids in
   *     topic names anyway, and which would make values ambiguous)
   */
  public static NumberedRecords forTopic(String topic) {
    requireNonNull(topic, "topic");
    if (topic.isEmpty() || topic.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("topic must be non-empty and contain no '#', but was '" + topic + "'");
    }
    return new NumberedRecords(topic, 0, 0, List.of(), 0);
  }

  /**
   * Sets how many records to build. Default 0.
   *
   * @param count the number of records, {@code >= 0}
   * @return a copy with this count
   * @throws IllegalArgumentException {@code count must be >= 0, but was -1} for a negative count, or if the last
   *     record number would exceed {@link Integer#MAX_VALUE}
   */
  public NumberedRecords count(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, but was " + count);
    }
    checkRange(first, count);
    return new NumberedRecords(topic, count, distinctKeys, headerNames, first);
  }

  /**
   * Sets how many different keys the records use. Default 0, meaning every key is null.
   *
   * @param distinctKeys 0 for null keys; otherwise record {@code i} gets the key {@code "key-" + (i % distinctKeys)}
   * @return a copy with this number of keys
   * @throws IllegalArgumentException {@code distinctKeys must be >= 0, but was -1} for a negative number
   */
  public NumberedRecords distinctKeys(int distinctKeys) {
    if (distinctKeys < 0) {
      throw new IllegalArgumentException("distinctKeys must be >= 0, but was " + distinctKeys);
    }
    return new NumberedRecords(topic, count, distinctKeys, headerNames, first);
  }

  /**
   * Adds a header to every record, named {@code name}, whose value is the record's number as a UTF-8 string. May be
   * called several times for several headers; by default there are none.
   *
   * @param name the header name
   * @return a copy with this header added after those already set
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public NumberedRecords header(String name) {
    requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("header name must be non-empty");
    }
    List<String> names = new ArrayList<>(headerNames);
    names.add(name);
    return new NumberedRecords(topic, count, distinctKeys, List.copyOf(names), first);
  }

  /**
   * Sets the number of the first record; the records are numbered {@code first} to {@code first + count - 1}.
   * Default 0. Use it to build a second, disjoint batch for the same topic.
   *
   * @param first the first record number, {@code >= 0}
   * @return a copy starting at {@code first}
   * @throws IllegalArgumentException {@code first must be >= 0, but was -1} for a negative number, or if the last
   *     record number would exceed {@link Integer#MAX_VALUE}
   */
  public NumberedRecords startAt(int first) {
    if (first < 0) {
      throw new IllegalArgumentException("first must be >= 0, but was " + first);
    }
    checkRange(first, count);
    return new NumberedRecords(topic, count, distinctKeys, headerNames, first);
  }

  /**
   * Builds the records, in number order.
   *
   * @return a new mutable list of {@code count} records; each call builds fresh records and byte arrays
   */
  public List<ProducerRecord<byte[], byte[]>> records() {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      int i = first + n;
      byte[] key = distinctKeys == 0 ? null : keyOf(i).getBytes(UTF_8);
      byte[] number = Integer.toString(i).getBytes(UTF_8);
      List<Header> headers = new ArrayList<>(headerNames.size());
      for (String name : headerNames) {
        headers.add(new RecordHeader(name, number.clone()));
      }
      records.add(new ProducerRecord<>(topic, null, key, valueOf(topic, i).getBytes(UTF_8), headers));
    }
    return records;
  }

  /**
   * Returns the values the records carry, decoded as strings: what a backend should receive as bodies.
   *
   * @return an unmodifiable set in number order
   */
  public Set<String> values() {
    Set<String> values = new LinkedHashSet<>();
    for (int n = 0; n < count; n++) {
      values.add(valueOf(topic, first + n));
    }
    return Collections.unmodifiableSet(values);
  }

  /**
   * Returns the key record number {@code number} gets, or empty when keys are null.
   *
   * @param number a record number
   * @return {@code "key-" + (number % distinctKeys)}, or empty when {@code distinctKeys} is 0
   */
  public Optional<String> keyFor(int number) {
    return distinctKeys == 0 ? Optional.empty() : Optional.of(keyOf(number));
  }

  /**
   * Returns the value record number {@code number} of {@code topic} carries.
   *
   * @param topic the topic
   * @param number the record number
   * @return {@code topic + "#" + number}
   * @throws NullPointerException if {@code topic} is null
   */
  public static String valueOf(String topic, int number) {
    requireNonNull(topic, "topic");
    return topic + SEPARATOR + number;
  }

  /**
   * Parses the record number back out of a value built by {@link #valueOf(String, int)}.
   *
   * @param value a record value, such as {@code orders-1-a3f9c2#17}
   * @return the number after the last {@code '#'}, here 17
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException {@code not a numbered record value: '<value>'} if there is no {@code '#'}
   *     followed by a non-negative decimal number
   */
  public static int numberOf(String value) {
    requireNonNull(value, "value");
    int separator = value.lastIndexOf(SEPARATOR);
    String digits = separator < 0 ? "" : value.substring(separator + 1);
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not a numbered record value: '" + value + "'");
    }
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException tooLarge) {
      throw new IllegalArgumentException("not a numbered record value: '" + value + "'", tooLarge);
    }
  }

  /** Returns {@code NumberedRecords[topic=t, numbers=0..999, distinctKeys=10, headers=[seq]]}. */
  @Override
  public String toString() {
    String numbers = count == 0 ? "none" : first + ".." + (first + count - 1);
    return "NumberedRecords[topic=" + topic + ", numbers=" + numbers + ", distinctKeys=" + distinctKeys
        + ", headers=" + headerNames + "]";
  }

  private String keyOf(int number) {
    return KEY_PREFIX + (number % distinctKeys);
  }

  private static void checkRange(int first, int count) {
    // Record numbers are ints; a range past Integer.MAX_VALUE would wrap around to negative numbers.
    if ((long) first + count - 1 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "first + count - 1 must be <= " + Integer.MAX_VALUE + ", but was " + ((long) first + count - 1));
    }
  }
}
