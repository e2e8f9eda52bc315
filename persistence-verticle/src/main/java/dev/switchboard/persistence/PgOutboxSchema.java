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

  /**
   * Held by each relay's transaction, so relays of several instances take turns: with {@code SKIP LOCKED} alone, two
   * could split one transaction's rows between them and number them out of order.
   */
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
   * One relay, in one statement and so one transaction: takes the relays' turn, takes the oldest committed rows out
   * of the outbox, appends them with {@code sb_append} as any batch, records what each became, and answers one row
   * per event in outbox order (the whole event: the caller has nothing else). {@code SKIP LOCKED} as a second line:
   * under the turn no other relay holds rows.
   */
  private static final String RELAY_FUNCTION = """
      CREATE FUNCTION sb_relay(p_limit integer)
      RETURNS TABLE (r_ref bigint, r_session_id text, r_seq bigint, r_created_at bigint, r_duplicate boolean,
                     r_event_type text, r_user_id text, r_payload text)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_candidates bigint[];
        v_cut bigint;
        v_refs bigint[];
        v_sessions text[];
        v_types text[];
        v_payloads text[];
        v_users text[];
        v_keys text[];
      BEGIN
        PERFORM pg_advisory_xact_lock(RELAY_LOCK);
        -- A new statement, so a new snapshot: it sees what the relay that held the turn before took out.
        SELECT array_agg(c.ref ORDER BY c.ref) INTO v_candidates
        FROM (SELECT o.ref FROM sb_outbox o ORDER BY o.ref LIMIT p_limit FOR UPDATE SKIP LOCKED) c;
        IF v_candidates IS NULL THEN
          RETURN;
        END IF;
        -- sb_append takes keys unique within its batch: the batch ends before the first row that repeats an earlier
        -- row's key; that row goes in the next relay, which answers it with the original.
        SELECT min(w.ref) INTO v_cut
        FROM (SELECT o.ref, row_number() OVER (PARTITION BY o.session_id, coalesce(o.user_id, ''), o.idempotency_key
                                               ORDER BY o.ref) AS n
              FROM sb_outbox o WHERE o.ref = ANY (v_candidates) AND o.idempotency_key IS NOT NULL) w
        WHERE w.n > 1;
        WITH taken AS (
          DELETE FROM sb_outbox o WHERE o.ref = ANY (v_candidates) AND (v_cut IS NULL OR o.ref < v_cut)
          RETURNING o.ref, o.session_id::text AS session_id, o.event_type, o.payload::text AS payload, o.user_id,
                    o.idempotency_key)
        SELECT array_agg(t.ref ORDER BY t.ref), array_agg(t.session_id ORDER BY t.ref),
               array_agg(t.event_type ORDER BY t.ref), array_agg(t.payload ORDER BY t.ref),
               array_agg(t.user_id ORDER BY t.ref), array_agg(t.idempotency_key ORDER BY t.ref)
        INTO v_refs, v_sessions, v_types, v_payloads, v_users, v_keys
        FROM taken t;
        RETURN QUERY
        WITH appended AS (
          SELECT * FROM sb_append(v_sessions, v_types, v_payloads, v_users, v_keys)
        ), recorded AS (
          INSERT INTO sb_outbox_published (ref, session_id, seq, created_at)
          SELECT v_refs[a.o_idx], v_sessions[a.o_idx], a.o_seq, a.o_created_at FROM appended a
        )
        SELECT v_refs[a.o_idx], v_sessions[a.o_idx], a.o_seq, a.o_created_at, a.o_duplicate,
               CASE WHEN a.o_duplicate THEN a.o_event_type ELSE v_types[a.o_idx] END,
               CASE WHEN a.o_duplicate THEN a.o_user_id ELSE v_users[a.o_idx] END,
               CASE WHEN a.o_duplicate THEN a.o_payload ELSE v_payloads[a.o_idx] END
        FROM appended a ORDER BY a.o_idx;
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
      RELAY_FUNCTION,
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
