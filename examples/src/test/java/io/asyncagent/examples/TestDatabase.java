package io.asyncagent.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncagent.testkit.EmbeddedKafka;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/** A fresh in-memory H2 database with {@link DatabaseSink}'s table, for one test. */
final class TestDatabase implements AutoCloseable {
  /** One row of the {@code events} table, keys and bodies decoded as UTF-8. */
  record Row(String topic, int partition, long offset, Optional<String> key, String body) {}

  private final JdbcConnectionPool pool;

  private TestDatabase(JdbcConnectionPool pool) {
    this.pool = pool;
  }

  /** Creates a database no other test sees, with an empty {@code events} table. */
  static TestDatabase create() throws SQLException {
    // DB_CLOSE_DELAY=-1 keeps the in-memory database while no connection is open; close() drops it.
    String url = "jdbc:h2:mem:" + EmbeddedKafka.uniqueGroup("events") + ";DB_CLOSE_DELAY=-1";
    TestDatabase database = new TestDatabase(JdbcConnectionPool.create(url, "sa", ""));
    DatabaseSink.createTable(database.dataSource());
    return database;
  }

  DataSource dataSource() {
    return pool;
  }

  /** Returns every row, ordered by topic, partition and offset. */
  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT topic, partition_no, record_offset, record_key, body"
            + " FROM events ORDER BY topic, partition_no, record_offset")) {
      while (result.next()) {
        byte[] key = result.getBytes("record_key");
        rows.add(new Row(result.getString("topic"), result.getInt("partition_no"), result.getLong("record_offset"),
            Optional.ofNullable(key).map(bytes -> new String(bytes, UTF_8)),
            new String(result.getBytes("body"), UTF_8)));
      }
    } catch (SQLException e) {
      throw new AssertionError("could not read the events table", e);
    }
    return rows;
  }

  /** Returns how many rows the table has. */
  int rowCount() {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM events")) {
      result.next();
      return result.getInt(1);
    } catch (SQLException e) {
      throw new AssertionError("could not count the events table", e);
    }
  }

  /** Drops the database and closes the pool. */
  @Override
  public void close() throws SQLException {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    } finally {
      pool.dispose();
    }
  }
}
