package dev.switchboard.server.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The application's side of the transactional-publish tests: JDBC connections as a role granted only
 * {@code sb_publish} and {@code sb_published} (as README.md, Publishing from your database, documents), and the
 * administrator's statements that put a relay in a chosen state.
 */
final class AppDatabase {

  private final String jdbcUrl;
  private final String admin;
  private final String role;

  private AppDatabase(String jdbcUrl, String admin, String role) {
    this.jdbcUrl = jdbcUrl;
    this.admin = admin;
    this.role = role;
  }

  /** Creates a role of the application's for the test database of {@code pgUrl}, granted the functions only. */
  static AppDatabase withPublisherRole(String pgUrl) throws SQLException {
    String admin = pgUrl.substring("postgresql://".length(), pgUrl.indexOf('@'));
    AppDatabase db = new AppDatabase("jdbc:postgresql://" + pgUrl.substring(pgUrl.indexOf('@') + 1), admin,
        "sb_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    try (Connection connection = db.admin(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE ROLE " + db.role + " LOGIN");
      statement.execute("GRANT EXECUTE ON FUNCTION sb_publish(text, text, jsonb, text, text), sb_published(bigint)"
          + " TO " + db.role);
    }
    return db;
  }

  void dropPublisherRole() throws SQLException {
    try (Connection connection = admin(); Statement statement = connection.createStatement()) {
      statement.execute("DROP OWNED BY " + role);
      statement.execute("DROP ROLE " + role);
    }
  }

  Connection app() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, role, "");
  }

  Connection admin() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, admin, "");
  }

  /** {@code sb_publish} on the application's connection; returns the ref. */
  static long publish(Connection app, String session, String eventType, String payloadJson, String userId)
      throws SQLException {
    try (PreparedStatement call = app.prepareStatement("SELECT sb_publish(?, ?, ?::jsonb, ?)")) {
      call.setString(1, session);
      call.setString(2, eventType);
      call.setString(3, payloadJson);
      call.setString(4, userId);
      try (ResultSet rows = call.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** The eventIds the refs became, as the application looks them up; refs not numbered yet are left out. */
  List<Long> published(Collection<Long> refs) {
    List<Long> eventIds = new ArrayList<>();
    try (Connection app = app(); PreparedStatement call = app.prepareStatement("SELECT sb_published(?)")) {
      for (long ref : refs) {
        call.setLong(1, ref);
        try (ResultSet rows = call.executeQuery()) {
          rows.next();
          long eventId = rows.getLong(1);
          if (!rows.wasNull()) {
            eventIds.add(eventId);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("sb_published failed", e);
    }
    return eventIds;
  }

  /** Whether the connection's transaction is open and has written. */
  static boolean inTransaction(Connection app) throws SQLException {
    try (Statement statement = app.createStatement();
         ResultSet rows = statement.executeQuery("SELECT txid_current_if_assigned() IS NOT NULL")) {
      rows.next();
      return rows.getBoolean(1);
    }
  }

  /** Takes the relays' turn for the connection's transaction, as a relay does; every node's relay then waits. */
  static void takeTheRelayTurn(Connection admin) throws SQLException {
    try (Statement statement = admin.createStatement()) {
      statement.execute("SELECT count(*) FROM sb_relay(0)");
    }
  }

  /** Numbers what the outbox holds in the connection's transaction, as a relay does, and publishes nothing. */
  static int relayWithoutPublishing(Connection admin) throws SQLException {
    try (Statement statement = admin.createStatement();
         ResultSet rows = statement.executeQuery("SELECT count(*) FROM sb_relay(1000)")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /** Locks a session's head for the connection's transaction: an append to it waits. */
  static void lockHead(Connection admin, String session) throws SQLException {
    try (PreparedStatement statement = admin.prepareStatement(
        "SELECT last_seq FROM session_heads WHERE session_id = ? FOR UPDATE")) {
      statement.setString(1, session);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("session " + session + " has no head yet");
        }
      }
    }
  }

  /**
   * Waits for a relay blocked on a row lock (a session's head, not the relays' turn) and answers its connection's
   * {@code application_name}.
   */
  String relayWaitingForAHead() throws SQLException, InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    try (Connection connection = admin(); Statement statement = connection.createStatement()) {
      while (System.currentTimeMillis() < deadline) {
        try (ResultSet rows = statement.executeQuery("SELECT application_name FROM pg_stat_activity"
            + " WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event <> 'advisory'"
            + " AND query LIKE '%sb_relay%' AND pid <> pg_backend_pid()")) {
          if (rows.next()) {
            return rows.getString(1);
          }
        }
        Thread.sleep(20);
      }
    }
    throw new AssertionError("no relay waited for a head within a minute");
  }
}
