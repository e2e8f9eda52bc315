package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.protocol.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PgEventStoreTest extends EventStoreContract {

  private String url;

  @Override
  protected EventStore newStore(Vertx vertx) {
    url = TestPostgres.freshDatabase();
    return new PgEventStore(vertx, PgConfig.of(url));
  }

  @Override
  protected EventStore reopenedStore(Vertx vertx) {
    return new PgEventStore(vertx, PgConfig.of(url));
  }

  @Test
  void migratesOnceWhenSeveralInstancesOpenAtOnce() throws SQLException {
    String other = TestPostgres.freshDatabase();
    List<EventStore> stores = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      stores.add(new PgEventStore(vertx, PgConfig.of(other)));
    }

    result(Future.all(stores.stream().map(EventStore::open).toList()));

    assertEquals(IntStream.rangeClosed(1, PgSchema.VERSION).mapToObj(String::valueOf).toList(),
        column(other, "SELECT version FROM schema_version ORDER BY version"), "each migration applied once");
    List<AppendOutcome> outcomes = result(stores.get(3).append(List.of(event("a", 1))));
    assertEquals(1, outcomes.get(0).event().seq());
    result(Future.all(stores.stream().map(EventStore::close).toList()));
  }

  @Test
  void refusesADatabaseWrittenByANewerVersion() throws SQLException {
    execute(url, "INSERT INTO schema_version (version) VALUES (" + (PgSchema.VERSION + 1) + ")");
    EventStore newer = new PgEventStore(vertx, PgConfig.of(url));

    Throwable refused = failure(newer.open());

    assertTrue(refused.getMessage().contains("newer"), refused.getMessage());
    result(newer.close());
  }

  @Test
  void storesPayloadsAsJsonbAndReplaysThemCompact() throws SQLException {
    String payload = "{\"b\": \"two words\", \"a\": [1, 2.50, {\"c\": null}]}";
    AppendOutcome stored = result(store.append(List.of(new AppendRequest("a", "note", payload, null, "k")))).get(0);

    StoredEvent replayed = result(store.replay(new ReplayRequest("a", 0, Long.MAX_VALUE, 10))).events().get(0);
    AppendOutcome retried = result(store.append(List.of(new AppendRequest("a", "note", "{}", null, "k")))).get(0);

    assertEquals(payload, stored.event().payload(), "the append's outcome carries the text as given");
    String normalised = "{\"a\":[1,2.50,{\"c\":null}],\"b\":\"two words\"}";
    assertEquals(new StoredEvent("a", 1, "note", stored.event().timestamp(), null, normalised), replayed);
    assertEquals(new AppendOutcome(replayed, true), retried);
    assertEquals(List.of("jsonb"), column(url, "SELECT pg_typeof(payload)::text FROM events"));
  }

  private static List<String> column(String url, String sql) throws SQLException {
    try (Connection connection = jdbc(url); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection connection = jdbc(url); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** A JDBC connection to a {@code postgresql://user@host:port/db} URL of {@link TestPostgres}. */
  static Connection jdbc(String url) throws SQLException {
    String user = url.substring("postgresql://".length(), url.indexOf('@'));
    return DriverManager.getConnection("jdbc:postgresql://" + url.substring(url.indexOf('@') + 1), user, "");
  }
}
