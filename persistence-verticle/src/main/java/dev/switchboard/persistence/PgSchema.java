package dev.switchboard.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;

/**
 * The PostgreSQL store's tables, its append function and their migrations, versioned by the {@code schema_version}
 * table (one row per applied migration).
 *
 * <p>Migration {@code i} of {@link #MIGRATIONS} takes the schema from version {@code i} to {@code i + 1}; append new
 * migrations, never edit applied ones.
 */
final class PgSchema {

  /**
   * Appends one batch in one statement: locks the heads of the batch's sessions, answers requests whose idempotency
   * key is already stored with the original event, numbers and inserts the others, moves the heads.
   *
   * <p>Arguments are parallel arrays (session, type, payload as JSON text, user, idempotency key), keys already unique
   * within the batch. One row per request: {@code o_idx} is its 1-based position; new events have
   * {@code o_duplicate = false} and no type, user or payload (the caller has them), stored originals have all of them.
   */
  private static final String APPEND_FUNCTION = """
      CREATE_FUNCTION sb_append(p_sessions text[], p_types text[], p_payloads text[], p_users text[], p_keys text[])
      RETURNS TABLE (o_idx integer, o_seq bigint, o_created_at bigint, o_duplicate boolean,
                     o_event_type text, o_user_id text, o_payload text)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_now bigint;
      BEGIN
        -- Heads are locked in one order (new ones created first, in the same order), so two batches that share
        -- sessions queue behind each other instead of deadlocking.
        INSERT INTO session_heads (session_id, last_seq)
        SELECT DISTINCT s, 0 FROM unnest(p_sessions) AS s ORDER BY 1
        ON CONFLICT (session_id) DO NOTHING;
        PERFORM 1 FROM session_heads WHERE session_id = ANY (p_sessions) ORDER BY session_id FOR UPDATE;
        -- Taken under the locks: within a session, timestamps follow sequence numbers whichever node appends.
        v_now := floor(extract(epoch FROM clock_timestamp()) * 1000);
        -- A new statement, so a new snapshot: it sees every event committed by whoever held these locks before.
        RETURN QUERY
        WITH batch AS (
          SELECT b.ord::integer AS ord, b.s, b.t, b.p, b.u, b.k
          FROM unnest(p_sessions, p_types, p_payloads, p_users, p_keys) WITH ORDINALITY AS b (s, t, p, u, k, ord)
        ), existing AS (
          SELECT b.ord, e.seq, e.created_at, e.event_type, e.user_id, e.payload::text AS payload
          FROM batch b JOIN events e ON e.session_id = b.s AND KEY_MATCH
          WHERE b.k IS NOT NULL AND e.idempotency_key IS NOT NULL
        ), fresh AS (
          SELECT b.ord, b.s, b.t, b.p, b.u, b.k,
                 h.last_seq + row_number() OVER (PARTITION BY b.s ORDER BY b.ord) AS seq
          FROM batch b JOIN session_heads h ON h.session_id = b.s
          WHERE NOT EXISTS (SELECT 1 FROM existing x WHERE x.ord = b.ord)
        ), inserted AS (
          INSERT INTO events (session_id, seq, event_type, payload, user_id, idempotency_key, created_at)
          SELECT f.s, f.seq, f.t, f.p::jsonb, f.u, f.k, v_now FROM fresh f
        ), heads AS (
          UPDATE session_heads h SET last_seq = m.last_seq
          FROM (SELECT f.s, max(f.seq) AS last_seq FROM fresh f GROUP BY f.s) m
          WHERE h.session_id = m.s
        )
        SELECT f.ord, f.seq, v_now, false, NULL::text, NULL::text, NULL::text FROM fresh f
        UNION ALL
        SELECT x.ord, x.seq, x.created_at, true, x.event_type, x.user_id, x.payload FROM existing x;
      END
      $fn$""";

  private static final List<List<String>> MIGRATIONS = List.of(
      List.of(
          """
          CREATE TABLE events (
            session_id      text COLLATE "C" NOT NULL,
            seq             bigint NOT NULL,
            event_type      text   NOT NULL,
            payload         jsonb  NOT NULL,
            user_id         text,
            idempotency_key text,
            created_at      bigint NOT NULL,
            PRIMARY KEY (session_id, seq)
          )""",
          "COMMENT ON COLUMN events.created_at IS 'milliseconds since the Unix epoch'",
          """
          CREATE UNIQUE INDEX events_idempotency ON events (session_id, idempotency_key)
            WHERE idempotency_key IS NOT NULL""",
          "CREATE INDEX events_created_at ON events (created_at)",
          // Every batch updates its sessions' heads: free room on each page keeps those updates HOT.
          """
          CREATE TABLE session_heads (
            session_id text COLLATE "C" PRIMARY KEY,
            last_seq   bigint NOT NULL
          ) WITH (fillfactor = 50)""",
          appendFunction("CREATE FUNCTION", "e.idempotency_key = b.k")),
      // An idempotency key belongs to its publisher (IdempotencyScope): (session, user, key) is unique.
      List.of(
          "DROP INDEX events_idempotency",
          """
          CREATE UNIQUE INDEX events_idempotency_by_user
            ON events (session_id, (coalesce(user_id, '')), idempotency_key) WHERE idempotency_key IS NOT NULL""",
          appendFunction("CREATE OR REPLACE FUNCTION",
              "coalesce(e.user_id, '') = coalesce(b.u, '') AND e.idempotency_key = b.k")),
      // Read positions (docs/ARCHITECTURE.md, Read positions): per user and session, both only move forward. Every
      // delivered update rewrites rows: free room on each page keeps those updates HOT, as for the heads.
      List.of(
          """
          CREATE TABLE read_positions (
            user_id       text COLLATE "C" NOT NULL,
            session_id    text COLLATE "C" NOT NULL,
            delivered_seq bigint NOT NULL DEFAULT 0,
            read_seq      bigint,
            PRIMARY KEY (user_id, session_id)
          ) WITH (fillfactor = 50)"""),
      // Publishing from an application's own transaction: the outbox, sb_publish, sb_published and sb_relay.
      PgOutboxSchema.MIGRATION,
      // Retention finds each session's newest snapshot (SnapshotRetention) through this small index.
      List.of(
          """
          CREATE INDEX events_snapshots ON events (session_id, seq) WHERE event_type = 'sb.snapshot'"""));

  /** {@code sb_append} as a migration creates it, the requests' keys matched to stored ones by {@code keyMatch}. */
  private static String appendFunction(String create, String keyMatch) {
    return APPEND_FUNCTION.replace("CREATE_FUNCTION", create).replace("KEY_MATCH", keyMatch);
  }

  /** The version this code reads and writes. */
  static final int VERSION = MIGRATIONS.size();

  /** Held for the migration transaction, so instances that start together migrate one after another. */
  private static final long MIGRATION_LOCK = 0x5342_5343_4845_4D41L;

  private PgSchema() {
  }

  /**
   * Brings the database to {@link #VERSION} in one transaction under an advisory lock; refuses a database written by
   * a newer version. An up-to-date database is only read, so the role may lack the right to create tables then.
   */
  static Future<Void> migrate(Pool pool) {
    return pool.withTransaction(connection -> connection.query("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")")
        .execute()
        .compose(locked -> connection.query("SELECT to_regclass('schema_version') IS NOT NULL").execute())
        .compose(exists -> exists.iterator().next().getBoolean(0) ? Future.succeededFuture() : connection.query(
            "CREATE TABLE schema_version (version integer PRIMARY KEY,"
                + " applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(created -> connection.query("SELECT coalesce(max(version), 0) FROM schema_version").execute())
        .compose(rows -> {
          int current = rows.iterator().next().getInteger(0);
          if (current > VERSION) {
            return Future.failedFuture(new IllegalStateException(
                "event store schema version " + current + " is newer than this server's " + VERSION));
          }
          return apply(connection, current);
        }));
  }

  private static Future<Void> apply(SqlConnection connection, int from) {
    Future<Void> chain = Future.succeededFuture();
    for (int version = from; version < VERSION; version++) {
      int target = version + 1;
      for (String sql : MIGRATIONS.get(version)) {
        chain = chain.compose(v -> connection.query(sql).execute().mapEmpty());
      }
      chain = chain.compose(v -> connection.query("INSERT INTO schema_version (version) VALUES (" + target + ")")
          .execute().mapEmpty());
    }
    return chain;
  }
}
