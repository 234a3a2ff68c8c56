package io.asyncagent.examples;

import static java.util.Objects.requireNonNull;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.BlockingSink;
import io.asyncagent.DeliveryException;
import io.asyncagent.Event;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.StartPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * A sink that writes every event to a table of a database, one row per event however often the event is delivered.
 *
 * <p>Delivery is at-least-once: after a crash or a rebalance, the events since the last commit come again. The row's
 * key is where the event came from — topic, partition, offset — and the write is an upsert on that key, so a second
 * delivery rewrites the row the first one wrote instead of adding another. The SQL is H2's ({@code MERGE INTO ...
 * KEY}); PostgreSQL's {@code INSERT ... ON CONFLICT (...) DO UPDATE} and MySQL's {@code INSERT ... ON DUPLICATE KEY
 * UPDATE} do the same.
 *
 * <p>JDBC blocks, so the sink is a {@link BlockingSink}: wrapped with {@link BackendSink#blocking(BlockingSink)}, it
 * runs on a pool of {@code workers} threads of the agent's own. The data source is the caller's, who closes it.
 */
public final class DatabaseSink implements BlockingSink {
  // tag::schema[]
  /** The table the events go to; {@code partition} and {@code offset} are SQL keywords, hence the column names. */
  public static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS events (
        topic         VARCHAR(249)    NOT NULL,
        partition_no  INT             NOT NULL,
        record_offset BIGINT          NOT NULL,
        record_key    VARBINARY(1024),
        body          BLOB            NOT NULL,
        created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
        PRIMARY KEY (topic, partition_no, record_offset)
      )""";
  // end::schema[]

  // tag::upsert[]
  /** Inserts the event's row, or rewrites it when an earlier delivery of the same event wrote it already. */
  private static final String UPSERT = """
      MERGE INTO events (topic, partition_no, record_offset, record_key, body, created_at)
        KEY (topic, partition_no, record_offset)
        VALUES (?, ?, ?, ?, ?, ?)""";
  // end::upsert[]

  private final DataSource database;

  /**
   * Creates a sink that writes to the {@code events} table of {@code database}; see {@link #createTable}.
   *
   * @param database where to write, such as a connection pool
   * @throws NullPointerException if {@code database} is null
   */
  public DatabaseSink(DataSource database) {
    this.database = requireNonNull(database, "database");
  }

  /**
   * Creates the {@code events} table of {@link #SCHEMA} unless it exists.
   *
   * @param database the database
   * @throws SQLException if the table cannot be created
   */
  public static void createTable(DataSource database) throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(SCHEMA);
    }
  }

  /**
   * Builds an agent that archives the {@code orders} topic into {@code database}.
   *
   * @param brokers the Kafka cluster, {@code host:port}
   * @param group the consumer group; a new one reads the topic from its beginning
   * @param database where to write; its {@code events} table must exist
   * @return the agent, not started
   */
  public static AsyncAgent archiveAgent(String brokers, String group, DataSource database) {
    // tag::agent[]
    AsyncAgent agent = AsyncAgent.builder()
        .name("orders-archive")
        .topics("orders")
        .workers(4)                                     // four inserts at once, on four threads of the agent's
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(brokers).build())
            .group(Group.of(group))
            .startFrom(StartPosition.earliest())        // a new group archives what is already there
            .build())
        .sink(BackendSink.blocking(new DatabaseSink(database)))
        .build();
    // end::agent[]
    return agent;
  }

  /**
   * Writes {@code event}'s row, or rewrites it if an earlier delivery wrote it.
   *
   * @throws DeliveryException not retriable, if the event does not fit the table (a key longer than 1024 bytes)
   * @throws SQLException if the database failed otherwise; the agent treats that as retriable
   */
  // tag::deliver[]
  @Override
  public void deliver(Event event) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
      upsert.setString(1, event.topic());
      upsert.setInt(2, event.partition());
      upsert.setLong(3, event.offset());
      if (event.key().isPresent()) {
        upsert.setBytes(4, event.key().get());
      } else {
        upsert.setNull(4, Types.VARBINARY);
      }
      upsert.setBytes(5, event.body());
      upsert.setObject(6, event.timestamp().atOffset(ZoneOffset.UTC));
      upsert.executeUpdate();                        // auto-commit: the row is durable when this returns
    } catch (SQLDataException e) {
      // The event does not fit the table: no retry changes that. The SQLState, not the message, which may quote
      // the data.
      throw new DeliveryException("the events table rejects the event (SQLState " + e.getSQLState() + ")", false);
    }
  }
  // end::deliver[]

  /** Returns {@code DatabaseSink{events}}; not the data source, whose text may hold a URL with a password. */
  @Override
  public String toString() {
    return "DatabaseSink{events}";
  }
}
