package io.asyncagent.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sink against a real H2 database, given events directly: the redelivery an agent does after a crash. */
class DatabaseSinkTest {
  private TestDatabase database;
  private DatabaseSink sink;

  @BeforeEach
  void createDatabase() throws SQLException {
    database = TestDatabase.create();
    sink = new DatabaseSink(database.dataSource());
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    database.close();
  }

  private static Event event(int partition, long offset, String key, String body) {
    return Event.builder("orders", partition, offset)
        .key(key == null ? null : key.getBytes(UTF_8))
        .body(body.getBytes(UTF_8))
        .timestampMillis(1_700_000_000_000L)
        .build();
  }

  @Test
  void writesOneRowPerEventKeyedByItsCoordinates() throws SQLException {
    sink.deliver(event(0, 7, "customer-1", "{\"order\":1}"));
    sink.deliver(event(1, 7, null, "{\"order\":2}"));

    assertThat(database.rows()).containsExactly(
        new TestDatabase.Row("orders", 0, 7, Optional.of("customer-1"), "{\"order\":1}"),
        new TestDatabase.Row("orders", 1, 7, Optional.empty(), "{\"order\":2}"));
  }

  @Test
  void aSecondDeliveryOfTheSameEventRewritesItsRowInsteadOfAddingOne() throws SQLException {
    Event event = event(2, 42, "customer-3", "{\"order\":3}");

    sink.deliver(event);
    sink.deliver(event);
    sink.deliver(event(2, 42, "customer-3", "{\"order\":3}"));  // the same record, read again after a crash

    assertThat(database.rows()).containsExactly(
        new TestDatabase.Row("orders", 2, 42, Optional.of("customer-3"), "{\"order\":3}"));
  }

  @Test
  void anEventThatDoesNotFitTheTableFailsForGoodWithoutQuotingIt() {
    String longKey = "k".repeat(1025);

    DeliveryException failure =
        catchThrowableOfType(DeliveryException.class, () -> sink.deliver(event(0, 1, longKey, "{}")));

    assertThat(failure).hasMessage("the events table rejects the event (SQLState 22001)").hasNoCause();
    assertThat(failure.isRetriable()).isFalse();
    assertThat(database.rowCount()).isZero();
  }
}
