package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.protocol.TestPostgres;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sb_publish} on a real PostgreSQL, the application's side over JDBC and the relay through
 * {@link PgEventStore#relayOutbox}: what commits is numbered after the commit, what rolls back leaves nothing, the
 * checks are the edge's, idempotency keys are everyone's, and a role granted only the functions cannot touch the log.
 */
class PgOutboxTest {

  private static Vertx vertx;
  private static String url;
  private static PgEventStore store;

  @BeforeAll
  static void open() {
    vertx = Vertx.vertx();
    url = TestPostgres.freshDatabase();
    store = new PgEventStore(vertx, PgConfig.of(url));
    result(store.open());
  }

  @AfterAll
  static void close() {
    result(store.close());
    result(vertx.close());
  }

  @Test
  void aRolledBackPublishLeavesNothingAndNoGap() throws SQLException {
    String session = session();
    try (Connection app = PgEventStoreTest.jdbc(url)) {
      app.setAutoCommit(false);
      publish(app, session, "lost", "{\"n\":0}", null, null);
      app.rollback();
      publish(app, session, "kept", "{\"n\":1}", null, null);
      app.commit();
    }

    assertEquals(List.of("kept"), relayAll().stream().map(o -> o.event().eventType()).toList());
    result(store.append(List.of(new AppendRequest(session, "api", "{\"n\":2}", null, null))));
    List<StoredEvent> log = replay(session);
    assertEquals(List.of(1L, 2L), log.stream().map(StoredEvent::seq).toList(), "numbered without a gap");
    assertEquals(List.of("kept", "api"), log.stream().map(StoredEvent::eventType).toList(),
        "the rolled-back publish took no number");
  }

  @Test
  void oneTransactionPublishesToSeveralSessionsInCallOrder() throws SQLException {
    String a = session();
    String b = session();
    List<Long> refs = new ArrayList<>();
    try (Connection app = PgEventStoreTest.jdbc(url)) {
      app.setAutoCommit(false);
      for (int i = 1; i <= 3; i++) {
        refs.add(publish(app, a, "a" + i, "{\"i\":" + i + "}", "ada", null));
        refs.add(publish(app, b, "b" + i, "{\"deep\":{\"i\":[" + i + "]}}", null, null));
      }
      assertTrue(relayAll().isEmpty(), "nothing is relayed before the commit");
      app.commit();
    }

    List<AppendOutcome> relayed = relayAll();
    assertEquals(List.of("a1", "b1", "a2", "b2", "a3", "b3"),
        relayed.stream().map(o -> o.event().eventType()).toList());
    StoredEvent first = relayed.get(0).event();
    assertEquals(a, first.sessionId());
    assertEquals("ada", first.userId());
    assertEquals("{\"i\":1}", first.payload());
    assertEquals("{\"deep\":{\"i\":[1]}}", relayed.get(1).event().payload(), "compact JSON, as replays carry it");
    assertEquals(List.of(1L, 2L, 3L), replay(a).stream().map(StoredEvent::seq).toList());
    assertEquals(List.of(1L, 2L, 3L), replay(b).stream().map(StoredEvent::seq).toList());
    try (Connection app = PgEventStoreTest.jdbc(url)) {
      assertEquals(3L, published(app, refs.get(4)), "sb_published gives the eventId a ref became");
    }
  }

  @Test
  void anIdempotencyKeyIsStoredOnceWhicheverWayItCame() throws SQLException {
    String session = session();
    result(store.append(List.of(new AppendRequest(session, "api", "{}", "ada", "k1"))));
    long again;
    long first;
    long second;
    try (Connection app = PgEventStoreTest.jdbc(url)) {
      again = publish(app, session, "retry", "{}", "ada", "k1");
      first = publish(app, session, "new", "{}", "ada", "k2");
      second = publish(app, session, "new", "{}", "ada", "k2");
      publish(app, session, "other user", "{}", "bob", "k2");
    }

    List<AppendOutcome> relayed = relayAll();
    assertEquals(List.of(true, false, true, false), relayed.stream().map(AppendOutcome::duplicate).toList());
    assertEquals(3, replay(session).size(), "one event per key and publisher");
    try (Connection app = PgEventStoreTest.jdbc(url)) {
      assertEquals(1L, published(app, again), "a stored key answers the original");
      assertEquals(2L, published(app, first));
      assertEquals(2L, published(app, second));
    }
  }

  @Test
  void retentionForgetsWhatARefBecameWithItsEvent() throws SQLException {
    long ref;
    try (Connection app = PgEventStoreTest.jdbc(url)) {
      ref = publish(app, session(), "old", "{}", null, null);
    }
    relayAll();
    try (Connection app = PgEventStoreTest.jdbc(url)) {
      assertEquals(1L, published(app, ref));
      result(store.deleteOlderThan(System.currentTimeMillis() + 60_000));
      assertNull(published(app, ref), "gone with the events of its age");
    }
  }

  @Test
  void refusesWhatTheEdgeRefusesWithAClearMessage() throws SQLException {
    String deep = "[".repeat(65) + "]".repeat(65);
    String big = "\"" + "x".repeat(PgOutboxSchema.MAX_PAYLOAD_BYTES) + "\"";
    List<String[]> refused = List.of(
        new String[] {"bad session!", "t", "{}", null, null, "invalid session_id 'bad session!'"},
        new String[] {"s".repeat(129), "t", "{}", null, null, "invalid session_id"},
        new String[] {"sys:canary:a", "t", "{}", null, null, "is reserved for the server"},
        new String[] {"ok", "", "{}", null, null, "event_type must be 1 to 128 characters"},
        new String[] {"ok", "t".repeat(129), "{}", null, null, "event_type must be 1 to 128 characters"},
        new String[] {"ok", "t", deep, null, null, "payload nests deeper than 64 levels"},
        new String[] {"ok", "t", big, null, null, "payload is larger than 65536 bytes"},
        new String[] {"ok", "t", "{}", "", null, "user_id must be NULL or 1 to 128 characters"},
        new String[] {"ok", "t", "{}", null, "k".repeat(257), "idempotency_key must be NULL or 1 to 256"});
    try (Connection app = PgEventStoreTest.jdbc(url)) {
      for (String[] args : refused) {
        SQLException e = assertThrows(SQLException.class, () -> publish(app, args[0], args[1], args[2], args[3],
            args[4]), args[5]);
        assertEquals("22023", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("sb_publish: ") && e.getMessage().contains(args[5]), e.getMessage());
      }
      String deepest = "[".repeat(64) + "]".repeat(64);
      assertTrue(publish(app, "ok", "t", deepest, null, null) > 0, "64 levels are allowed, as on the edge");
    }
    assertEquals(1, relayAll().size());
  }

  @Test
  void aRoleWithOnlyTheFunctionsCanPublishAndCannotTouchTheTables() throws SQLException {
    String role = "sb_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String session = session();
    try (Connection admin = PgEventStoreTest.jdbc(url); Statement statement = admin.createStatement()) {
      // The grants README.md documents (Publishing from your database).
      statement.execute("CREATE ROLE " + role + " LOGIN");
      statement.execute("GRANT EXECUTE ON FUNCTION sb_publish(text, text, jsonb, text, text), sb_published(bigint)"
          + " TO " + role);
    }
    try {
      String roleUrl = url.replace("postgresql://postgres@", "postgresql://" + role + "@");
      try (Connection app = PgEventStoreTest.jdbc(roleUrl); Statement statement = app.createStatement()) {
        app.setAutoCommit(false);
        long ref = publish(app, session, "granted", "{}", null, null);
        app.commit();
        app.setAutoCommit(true);
        for (String sql : List.of("SELECT * FROM events", "SELECT * FROM sb_outbox",
            "INSERT INTO sb_outbox (session_id, event_type, payload) VALUES ('x', 't', '{}')",
            "UPDATE session_heads SET last_seq = 0", "DELETE FROM sb_outbox_published",
            "SELECT * FROM sb_append(ARRAY['x'], ARRAY['t'], ARRAY['{}'], ARRAY[NULL], ARRAY[NULL])",
            "SELECT * FROM sb_relay(10)")) {
          SQLException e = assertThrows(SQLException.class, () -> statement.execute(sql), sql);
          assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage());
        }
        assertEquals(1, relayAll().size());
        assertEquals(1L, published(app, ref), "the role may look its ref up");
      }
    } finally {
      try (Connection admin = PgEventStoreTest.jdbc(url); Statement statement = admin.createStatement()) {
        statement.execute("DROP OWNED BY " + role);
        statement.execute("DROP ROLE " + role);
      }
    }
  }

  @Test
  void theCommitWakesAListeningStore() throws Exception {
    CountDownLatch woken = new CountDownLatch(2);
    PgEventStore listening = new PgEventStore(vertx, PgConfig.of(url));
    result(listening.open());
    try {
      result(listening.watchOutbox(woken::countDown));
      try (Connection app = PgEventStoreTest.jdbc(url)) {
        app.setAutoCommit(false);
        publish(app, session(), "t", "{}", null, null);
        publish(app, session(), "t", "{}", null, null);
        app.commit();
      }
      // One wake when the listener subscribed, one for the commit (its two notifications fold into one).
      assertTrue(woken.await(10, TimeUnit.SECONDS), "woken by the commit");
    } finally {
      result(listening.close());
    }
    relayAll();
  }

  /** Relays until the outbox is empty. */
  private static List<AppendOutcome> relayAll() {
    List<AppendOutcome> all = new ArrayList<>();
    List<AppendOutcome> page;
    do {
      page = result(store.relayOutbox(1000));
      all.addAll(page);
    } while (!page.isEmpty());
    return all;
  }

  private static List<StoredEvent> replay(String session) {
    return result(store.replay(new ReplayRequest(session, 0, Long.MAX_VALUE, 1000))).events();
  }

  private static long publish(Connection app, String session, String type, String payload, String user, String key)
      throws SQLException {
    try (PreparedStatement call = app.prepareStatement("SELECT sb_publish(?, ?, ?::jsonb, ?, ?)")) {
      call.setString(1, session);
      call.setString(2, type);
      call.setString(3, payload);
      call.setString(4, user);
      call.setString(5, key);
      try (ResultSet rows = call.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static Long published(Connection app, long ref) throws SQLException {
    try (PreparedStatement call = app.prepareStatement("SELECT sb_published(?)")) {
      call.setLong(1, ref);
      try (ResultSet rows = call.executeQuery()) {
        rows.next();
        long seq = rows.getLong(1);
        return rows.wasNull() ? null : seq;
      }
    }
  }

  private static String session() {
    return "tx-" + UUID.randomUUID();
  }
}
