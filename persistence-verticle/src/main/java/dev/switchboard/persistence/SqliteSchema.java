package dev.switchboard.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The embedded store's tables and their migrations, versioned by SQLite's {@code PRAGMA user_version}.
 *
 * <p>Migration {@code i} of {@link #MIGRATIONS} takes the schema from version {@code i} to {@code i + 1}; append new
 * migrations, never edit applied ones.
 */
final class SqliteSchema {

  private static final List<List<String>> MIGRATIONS = List.of(
      List.of(
          """
          CREATE TABLE events (
            session_id      TEXT    NOT NULL,
            seq             INTEGER NOT NULL,
            event_type      TEXT    NOT NULL,
            payload         TEXT    NOT NULL,
            user_id         TEXT,
            idempotency_key TEXT,
            created_at      INTEGER NOT NULL,
            PRIMARY KEY (session_id, seq)
          )""",
          """
          CREATE UNIQUE INDEX events_idempotency ON events (session_id, idempotency_key)
            WHERE idempotency_key IS NOT NULL""",
          "CREATE INDEX events_created_at ON events (created_at)",
          """
          CREATE TABLE session_heads (
            session_id TEXT    NOT NULL PRIMARY KEY,
            last_seq   INTEGER NOT NULL
          ) WITHOUT ROWID"""),
      // An idempotency key belongs to its publisher (IdempotencyScope): (session, user, key) is unique.
      List.of(
          "DROP INDEX events_idempotency",
          """
          CREATE UNIQUE INDEX events_idempotency_by_user ON events (session_id, coalesce(user_id, ''), idempotency_key)
            WHERE idempotency_key IS NOT NULL"""),
      // Read positions (docs/ARCHITECTURE.md, Read positions): per user and session, both only move forward.
      List.of(
          """
          CREATE TABLE read_positions (
            user_id       TEXT    NOT NULL,
            session_id    TEXT    NOT NULL,
            delivered_seq INTEGER NOT NULL DEFAULT 0,
            read_seq      INTEGER,
            PRIMARY KEY (user_id, session_id)
          ) WITHOUT ROWID"""),
      // Retention finds each session's newest snapshot (SnapshotRetention) through this small index.
      List.of(
          """
          CREATE INDEX events_snapshots ON events (session_id, seq) WHERE event_type = 'sb.snapshot'"""));

  /** The version this code reads and writes. */
  static final int VERSION = MIGRATIONS.size();

  private SqliteSchema() {
  }

  /** Brings the database to {@link #VERSION} in one transaction; refuses a database written by a newer version. */
  static void migrate(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      // The version is read inside the write transaction so two processes opening one file cannot both migrate.
      statement.execute("BEGIN IMMEDIATE");
      try {
        int current = version(statement);
        if (current > VERSION) {
          throw new SQLException("event store schema version " + current + " is newer than this server's " + VERSION);
        }
        for (int version = current; version < VERSION; version++) {
          for (String sql : MIGRATIONS.get(version)) {
            statement.execute(sql);
          }
        }
        statement.execute("PRAGMA user_version = " + VERSION);
        statement.execute("COMMIT");
      } catch (SQLException e) {
        statement.execute("ROLLBACK");
        throw e;
      }
    }
  }

  private static int version(Statement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
