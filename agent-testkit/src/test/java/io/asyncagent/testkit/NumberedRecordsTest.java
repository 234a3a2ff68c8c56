package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class NumberedRecordsTest {
  @Test
  void numbersValuesFromZeroWithTheTopicName() {
    List<ProducerRecord<byte[], byte[]>> records = NumberedRecords.forTopic("orders").count(3).records();

    assertThat(records).hasSize(3);
    assertThat(records).extracting(record -> new String(record.value(), UTF_8))
        .containsExactly("orders#0", "orders#1", "orders#2");
    assertThat(records).allSatisfy(
        record -> {
          assertThat(record.topic()).isEqualTo("orders");
          assertThat(record.partition()).isNull();
          assertThat(record.timestamp()).isNull();
          assertThat(record.key()).isNull();
          assertThat(record.headers().toArray()).isEmpty();
        });
  }

  @Test
  void cyclesThroughTheDistinctKeysByRecordNumber() {
    List<ProducerRecord<byte[], byte[]>> records =
        NumberedRecords.forTopic("t").count(7).distinctKeys(3).records();

    assertThat(records).extracting(record -> new String(record.key(), UTF_8))
        .containsExactly("key-0", "key-1", "key-2", "key-0", "key-1", "key-2", "key-0");
  }

  @Test
  void addsEachHeaderWithTheRecordNumberAsValue() {
    List<ProducerRecord<byte[], byte[]>> records =
        NumberedRecords.forTopic("t").count(2).startAt(41).header("seq").header("X-Number").records();

    assertThat(records.get(1).headers().toArray()).hasSize(2);
    assertThat(headerValue(records.get(0).headers().lastHeader("seq"))).isEqualTo("41");
    assertThat(headerValue(records.get(0).headers().lastHeader("X-Number"))).isEqualTo("41");
    assertThat(headerValue(records.get(1).headers().lastHeader("seq"))).isEqualTo("42");
    assertThat(headerValue(records.get(1).headers().lastHeader("X-Number"))).isEqualTo("42");
  }

  @Test
  void startAtShiftsNumbersKeysAndValues() {
    NumberedRecords batch = NumberedRecords.forTopic("t").count(3).distinctKeys(10).startAt(18);

    assertThat(batch.values()).containsExactly("t#18", "t#19", "t#20");
    assertThat(batch.records()).extracting(record -> new String(record.key(), UTF_8))
        .containsExactly("key-8", "key-9", "key-0");
  }

  @Test
  void valuesMatchTheRecordValues() {
    NumberedRecords batch = NumberedRecords.forTopic("t").count(1000).distinctKeys(10);

    Set<String> values = batch.values();

    assertThat(values).hasSize(1000);
    assertThat(values).containsExactlyElementsOf(
        batch.records().stream().map(record -> new String(record.value(), UTF_8)).toList());
    assertThatThrownBy(() -> values.add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void settersReturnCopiesAndLeaveTheOriginalUnchanged() {
    NumberedRecords base = NumberedRecords.forTopic("t").count(2);

    NumberedRecords keyed = base.distinctKeys(1).header("seq");

    assertThat(base.records()).allSatisfy(record -> {
      assertThat(record.key()).isNull();
      assertThat(record.headers().toArray()).isEmpty();
    });
    assertThat(keyed.records()).allSatisfy(record -> assertThat(record.key()).isEqualTo("key-0".getBytes(UTF_8)));
  }

  @Test
  void defaultsToNoRecords() {
    NumberedRecords none = NumberedRecords.forTopic("t");

    assertThat(none.records()).isEmpty();
    assertThat(none.values()).isEmpty();
    assertThat(none.toString()).isEqualTo("NumberedRecords[topic=t, numbers=none, distinctKeys=0, headers=[]]");
  }

  @Test
  void describesItselfWithTheNumberRange() {
    NumberedRecords batch = NumberedRecords.forTopic("t").count(1000).distinctKeys(10).header("seq");

    assertThat(batch.toString())
        .isEqualTo("NumberedRecords[topic=t, numbers=0..999, distinctKeys=10, headers=[seq]]");
  }

  @Test
  void keyForFollowsTheKeyRule() {
    assertThat(NumberedRecords.forTopic("t").distinctKeys(4).keyFor(10)).isEqualTo(Optional.of("key-2"));
    assertThat(NumberedRecords.forTopic("t").keyFor(10)).isEqualTo(Optional.empty());
  }

  @Test
  void valueOfAndNumberOfRoundTrip() {
    String value = NumberedRecords.valueOf("orders-3-a3f9c2", 17);

    assertThat(value).isEqualTo("orders-3-a3f9c2#17");
    assertThat(NumberedRecords.numberOf(value)).isEqualTo(17);
    assertThat(NumberedRecords.numberOf("t#2147483647")).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void numberOfRejectsValuesWithoutANumber() {
    for (String value : List.of("orders", "orders#", "orders#-1", "orders#1x", "t#2147483648")) {
      assertThatThrownBy(() -> NumberedRecords.numberOf(value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not a numbered record value: '" + value + "'");
    }
  }

  @Test
  void rejectsInvalidValuesAtOnce() {
    NumberedRecords batch = NumberedRecords.forTopic("t");

    assertThatThrownBy(() -> batch.count(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be >= 0, but was -1");
    assertThatThrownBy(() -> batch.distinctKeys(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("distinctKeys must be >= 0, but was -1");
    assertThatThrownBy(() -> batch.startAt(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("first must be >= 0, but was -1");
    assertThatThrownBy(() -> batch.startAt(Integer.MAX_VALUE).count(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("first + count - 1 must be <= 2147483647, but was 2147483648");
    assertThatThrownBy(() -> batch.header(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header name must be non-empty");
    assertThatThrownBy(() -> NumberedRecords.forTopic("a#b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic must be non-empty and contain no '#', but was 'a#b'");
  }

  @Test
  void allowsTheLastNumberToBeIntegerMaxValue() {
    NumberedRecords batch = NumberedRecords.forTopic("t").startAt(Integer.MAX_VALUE - 1).count(2);

    assertThat(batch.values()).containsExactly("t#2147483646", "t#2147483647");
  }

  private static String headerValue(Header header) {
    return new String(header.value(), UTF_8);
  }
}
