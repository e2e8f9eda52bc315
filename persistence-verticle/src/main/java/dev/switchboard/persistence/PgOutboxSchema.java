package dev.switchboard.persistence;

import java.util.List;

/**
 * Migration 4 of the PostgreSQL schema ({@link PgSchema}): publishing from an application's own transaction
 * (README, Publishing from your database; docs/ARCHITECTURE.md, Storage).
 *
 * <p>{@code sb_publish} only checks its arguments, inserts one row into the outbox {@code sb_outbox} and sends a
 * {@code NOTIFY} (which PostgreSQL delivers only on commit). It takes no lock that anyone else waits for: the event is
 * numbered after the commit, by a persistence instance ({@link PgOutbox}), so a transaction left open holds up no
 * append, not even to its own session. Until then nobody can see the row: it is uncommitted, then it is in a table
 * only the relay reads.
 */
final class PgOutboxSchema {

  /** The channel {@code sb_publish} notifies on and persistence listens on. */
  static final String CHANNEL = "sb_outbox";

  /** Held by the relay's transaction, so relays of several instances take turns and the outbox's order is kept. */
  static final long RELAY_LOCK = 0x5342_4F55_5442_4F58L;

  /** The largest payload, as the JSON text PostgreSQL prints: the default {@code SB_MAX_FRAME_BYTES}. */
  static final int MAX_PAYLOAD_BYTES = 65_536;

  // The checks are the edge's (Publisher, SessionIds): the same limits, the same words where they fit. A refusal is
  // SQLSTATE 22023 (invalid_parameter_value), which rolls back the caller's statement and, unless it uses a
  // savepoint, the caller's transaction.
  private static final String PUBLISH_FUNCTION = """
      CREATE FUNCTION sb_publish(session_id text, event_type text, payload jsonb, user_id text DEFAULT NULL,
                                 idempotency_key text DEFAULT NULL)
      RETURNS bigint
      LANGUAGE plpgsql SECURITY DEFINER AS $fn$
      #variable_conflict use_variable
      DECLARE
        v_payload jsonb := coalesce(payload, 'null'::jsonb);
        v_ref bigint;
      BEGIN
        IF session_id IS NULL OR session_id !~ '^[A-Za-z0-9._:-]{1,128}$' THEN
          RAISE EXCEPTION 'sb_publish: invalid session_id %: 1 to 128 characters of [A-Za-z0-9._:-]',
            coalesce(quote_literal(left(session_id, 140)), 'NULL') USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF starts_with(session_id, 'sys:') THEN
          RAISE EXCEPTION 'sb_publish: session_id % is reserved for the server (sys:)', quote_literal(session_id)
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF event_type IS NULL OR length(event_type) NOT BETWEEN 1 AND 128 THEN
          RAISE EXCEPTION 'sb_publish: event_type must be 1 to 128 characters'
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF octet_length(v_payload::text) > MAX_PAYLOAD_BYTES THEN
          RAISE EXCEPTION 'sb_publish: payload is larger than MAX_PAYLOAD_BYTES bytes'
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- A container at path depth 64 is the 65th level of nesting (the edge counts the outermost as 1).
        IF jsonb_path_exists(v_payload, 'strict $.**{64} ? (@.type() == "object" || @.type() == "array")') THEN
          RAISE EXCEPTION 'sb_publish: payload nests deeper than 64 levels'
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF user_id IS NOT NULL AND length(user_id) NOT BETWEEN 1 AND 128 THEN
          RAISE EXCEPTION 'sb_publish: user_id must be NULL or 1 to 128 characters'
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF idempotency_key IS NOT NULL AND length(idempotency_key) NOT BETWEEN 1 AND 256 THEN
          RAISE EXCEPTION 'sb_publish: idempotency_key must be NULL or 1 to 256 characters'
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
        INSERT INTO sb_outbox (session_id, event_type, payload, user_id, idempotency_key)
        VALUES (session_id, event_type, v_payload, user_id, idempotency_key)
        RETURNING ref INTO v_ref;
        -- Delivered on commit only, once per transaction whatever the number of calls (same channel and payload).
        PERFORM pg_notify('CHANNEL', '');
        RETURN v_ref;
      END
      $fn$"""
      .replace("MAX_PAYLOAD_BYTES", Integer.toString(MAX_PAYLOAD_BYTES))
      .replace("CHANNEL", CHANNEL);

  /**
   * Takes the relay's turn, then takes the oldest committed outbox rows out of the outbox (the caller's transaction
   * puts them back if it fails). {@code SKIP LOCKED} as a second line: under the turn no other relay holds rows.
   */
  private static final String CLAIM_FUNCTION = """
      CREATE FUNCTION sb_outbox_claim(p_limit integer)
      RETURNS TABLE (c_ref bigint, c_session_id text, c_event_type text, c_payload text, c_user_id text,
                     c_idempotency_key text)
      LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_advisory_xact_lock(RELAY_LOCK);
        -- A new statement, so a new snapshot: it sees what the relay that held the turn before took out.
        RETURN QUERY
        WITH taken AS (
          DELETE FROM sb_outbox o
          WHERE o.ref IN (SELECT c.ref FROM sb_outbox c ORDER BY c.ref LIMIT p_limit FOR UPDATE SKIP LOCKED)
          RETURNING o.ref, o.session_id, o.event_type, o.payload::text AS payload, o.user_id, o.idempotency_key)
        SELECT t.ref, t.session_id::text, t.event_type, t.payload, t.user_id, t.idempotency_key
        FROM taken t ORDER BY t.ref;
      END
      $fn$""".replace("RELAY_LOCK", Long.toString(RELAY_LOCK));

  static final List<String> MIGRATION = List.of(
      // ref orders the outbox: within one transaction it follows the calls; across transactions the relay takes
      // whatever has committed, oldest ref first.
      """
      CREATE TABLE sb_outbox (
        ref             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id      text COLLATE "C" NOT NULL,
        event_type      text   NOT NULL,
        payload         jsonb  NOT NULL,
        user_id         text,
        idempotency_key text
      )""",
      // What each ref became, for sb_published; deleted by retention with the events of the same age.
      """
      CREATE TABLE sb_outbox_published (
        ref        bigint PRIMARY KEY,
        session_id text COLLATE "C" NOT NULL,
        seq        bigint NOT NULL,
        created_at bigint NOT NULL
      )""",
      "CREATE INDEX sb_outbox_published_created_at ON sb_outbox_published (created_at)",
      PUBLISH_FUNCTION,
      """
      CREATE FUNCTION sb_published(ref bigint) RETURNS bigint
      LANGUAGE sql STABLE SECURITY DEFINER AS $fn$
        SELECT p.seq FROM sb_outbox_published p WHERE p.ref = $1
      $fn$""",
      CLAIM_FUNCTION,
      // SECURITY DEFINER functions run with their owner's rights: pin their search path to this schema (pg_temp
      // last, so a caller's temporary tables cannot stand in for ours), and let nobody call them until granted.
      """
      DO $do$ BEGIN
        EXECUTE format('ALTER FUNCTION sb_publish(text, text, jsonb, text, text) SET search_path = %I, pg_temp',
                       current_schema());
        EXECUTE format('ALTER FUNCTION sb_published(bigint) SET search_path = %I, pg_temp', current_schema());
      END $do$""",
      "REVOKE ALL ON FUNCTION sb_publish(text, text, jsonb, text, text) FROM PUBLIC",
      "REVOKE ALL ON FUNCTION sb_published(bigint) FROM PUBLIC");

  private PgOutboxSchema() {
  }
}
