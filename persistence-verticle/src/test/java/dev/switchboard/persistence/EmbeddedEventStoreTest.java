package dev.switchboard.persistence;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedEventStoreTest extends EventStoreContract {

  @TempDir
  Path dir;

  @Override
  protected EventStore newStore(Vertx vertx) {
    return new EmbeddedEventStore(vertx, dir.resolve("data"));
  }

  @Override
  protected EventStore reopenedStore(Vertx vertx) {
    return new EmbeddedEventStore(vertx, dir.resolve("data"));
  }

  @Test
  void createsAVersionedDatabaseInWalMode() throws SQLException {
    Path file = dir.resolve("data").resolve(EmbeddedEventStore.FILE_NAME);
    assertTrue(Files.isRegularFile(file));
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement statement = connection.createStatement()) {
      assertEquals("wal", single(statement, "PRAGMA journal_mode"));
      assertEquals(String.valueOf(SqliteSchema.VERSION), single(statement, "PRAGMA user_version"));
    }
  }

  @Test
  void refusesADatabaseWrittenByANewerVersion() throws Exception {
    Path other = Files.createDirectories(dir.resolve("newer"));
    try (Connection connection = DriverManager.getConnection(
        "jdbc:sqlite:" + other.resolve(EmbeddedEventStore.FILE_NAME));
         Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA user_version = " + (SqliteSchema.VERSION + 1));
    }
    EventStore newer = new EmbeddedEventStore(vertx, other);

    Throwable refused = failure(newer.open());

    assertTrue(refused.getMessage().contains("newer"), refused.getMessage());
    result(newer.close());
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }
}
