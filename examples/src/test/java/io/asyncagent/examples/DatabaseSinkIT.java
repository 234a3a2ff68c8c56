package io.asyncagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentListener;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryFailure;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.StartPosition;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithEmbeddedKafka
class DatabaseSinkIT {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final int ORDERS = 200;

  private TestDatabase database;

  @BeforeEach
  void createDatabase() throws SQLException {
    database = TestDatabase.create();
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    database.close();
  }

  @Test
  void archivesEveryOrderOnceAndAFullRedeliveryAddsNoRow(EmbeddedKafka kafka) {
    kafka.createTopic("orders", 3);
    NumberedRecords orders = NumberedRecords.forTopic("orders").count(ORDERS).distinctKeys(20);
    kafka.produce(orders.records());

    try (AsyncAgent agent = DatabaseSink.archiveAgent(kafka.bootstrapServers(), "archive", database.dataSource())) {
      agent.start();
      Await.until(WAIT, () -> database.rowCount() >= ORDERS, () -> ORDERS + " rows, got " + database.rowCount());
    }
    assertEveryOrderArchivedOnce(database.rows(), orders);
    assertThat(kafka.committedOffsets("archive", "orders")).isEqualTo(kafka.endOffsets("orders"));

    // At-least-once at its worst: a group with no committed offset reads the whole topic again, so every event
    // is delivered a second time to the same table.
    Deliveries replayed = new Deliveries();
    try (AsyncAgent replay = replayAgent(kafka, "archive-replay", replayed)) {
      replay.start();
      Await.until(WAIT, () -> replayed.delivered.get() >= ORDERS,
          () -> ORDERS + " deliveries, got " + replayed.delivered.get());
    }
    assertThat(replayed.delivered.get()).isEqualTo(ORDERS);
    assertThat(replayed.failed.get()).isZero();
    assertEveryOrderArchivedOnce(database.rows(), orders);
  }

  private AsyncAgent replayAgent(EmbeddedKafka kafka, String group, AgentListener listener) {
    return AsyncAgent.builder()
        .name("orders-replay")
        .topics("orders")
        .workers(4)
        .listener(listener)
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.of(group))
            .startFrom(StartPosition.earliest())
            .build())
        .sink(BackendSink.blocking(new DatabaseSink(database.dataSource())))
        .build();
  }

  private static void assertEveryOrderArchivedOnce(List<TestDatabase.Row> rows, NumberedRecords orders) {
    assertThat(rows).hasSize(ORDERS);
    assertThat(rows).extracting(TestDatabase.Row::body).containsExactlyInAnyOrderElementsOf(orders.values());
    assertThat(rows).allSatisfy(row -> {
      assertThat(row.topic()).isEqualTo("orders");
      assertThat(row.key()).isEqualTo(orders.keyFor(NumberedRecords.numberOf(row.body())));
    });
  }

  /** Counts what the replaying agent did with each event. */
  private static final class Deliveries implements AgentListener {
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();

    @Override
    public void delivered(AsyncAgent agent, DeliveryAttempt attempt) {
      delivered.incrementAndGet();
    }

    @Override
    public void failed(AsyncAgent agent, DeliveryAttempt attempt, DeliveryFailure failure) {
      failed.incrementAndGet();
    }
  }
}
