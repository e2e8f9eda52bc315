package dev.switchboard.persistence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.LiveBatch;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.protocol.TestPostgres;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.protocol.Await.result;
import static dev.switchboard.protocol.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The persistence role on a real PostgreSQL relays what applications commit to the outbox and publishes it live:
 * woken by the commit's notification, and without one (a notification lost while its listener was away) by its
 * periodic pass.
 */
class PersistenceOutboxTest {

  private static Vertx vertx;
  private static String url;
  private static final List<StoredEvent> live = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void deploy() {
    vertx = Vertx.vertx();
    url = TestPostgres.freshDatabase();
    result(vertx.deployVerticle(new PersistenceVerticle((v, settings) -> new PgEventStore(v, PgConfig.of(url)))));
    for (int shard = 0; shard < Addresses.LIVE_SHARDS; shard++) {
      vertx.eventBus().<LiveBatch>consumer(Addresses.liveAddress(shard),
          message -> live.addAll(message.body().events()));
    }
  }

  @AfterAll
  static void close() {
    result(vertx.close());
  }

  @Test
  void aCommittedPublishIsPublishedLive() throws SQLException {
    String session = "tx-" + UUID.randomUUID();
    try (Connection app = PgEventStoreTest.jdbc(url)) {
      app.setAutoCommit(false);
      call(app, "SELECT sb_publish(?, 'first', '{\"i\": 1}')", session);
      call(app, "SELECT sb_publish(?, 'second', '{\"i\": 2}', 'ada')", session);
      app.commit();
    }
    until(() -> liveOf(session).size() == 2);
    List<StoredEvent> events = liveOf(session);
    assertEquals(List.of(1L, 2L), events.stream().map(StoredEvent::seq).toList());
    assertEquals(List.of("first", "second"), events.stream().map(StoredEvent::eventType).toList());
    assertEquals("{\"i\":2}", events.get(1).payload());
    assertEquals("ada", events.get(1).userId());
  }

  @Test
  void aRowWhoseNotificationWasLostIsRelayedByThePeriodicPass() throws SQLException {
    String session = "lost-" + UUID.randomUUID();
    try (Connection admin = PgEventStoreTest.jdbc(url)) {
      // What sb_publish writes, without its NOTIFY: as if the notification had reached no listener.
      call(admin, "INSERT INTO sb_outbox (session_id, event_type, payload) VALUES (?, 'quiet', '{}')", session);
    }
    until(() -> liveOf(session).size() == 1);
    assertEquals("quiet", liveOf(session).get(0).eventType());
  }

  private static List<StoredEvent> liveOf(String session) {
    return live.stream().filter(e -> e.sessionId().equals(session)).toList();
  }

  private static void call(Connection connection, String sql, String session) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, session);
      statement.execute();
    }
  }
}
