package dev.switchboard.persistence;

import dev.switchboard.protocol.StoredEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The relay of the PostgreSQL outbox ({@link PgOutboxSchema}): one call of {@code sb_relay}, one round trip and one
 * transaction that takes the oldest committed rows {@code sb_publish} wrote, appends them with {@code sb_append} as
 * any batch is appended (numbering, idempotency keys, heads), and records what each became for {@code sb_published}.
 * All of it commits or none: a row is numbered exactly once whichever instance relays it, and a relay that fails or
 * dies leaves its rows in the outbox for the next.
 */
final class PgOutbox {

  private static final String RELAY = "SELECT r_ref, r_session_id, r_seq, r_created_at, r_duplicate, r_event_type,"
      + " r_user_id, r_payload FROM sb_relay($1)";

  private PgOutbox() {
  }

  /** Relays at most {@code max} rows; the outcomes are in outbox order, and empty when the outbox was. */
  static Future<List<AppendOutcome>> relay(Pool pool, int max) {
    return pool.preparedQuery(RELAY).execute(Tuple.of(max)).map(rows -> {
      List<AppendOutcome> outcomes = new ArrayList<>(rows.size());
      for (Row row : rows) {
        // jsonb's text has spaces after colons and commas; the live event carries it compact, as a replay does.
        StoredEvent event = new StoredEvent(row.getString("r_session_id"), row.getLong("r_seq"),
            row.getString("r_event_type"), row.getLong("r_created_at"), row.getString("r_user_id"),
            JsonText.compact(row.getString("r_payload")));
        outcomes.add(new AppendOutcome(event, row.getBoolean("r_duplicate")));
      }
      return outcomes;
    });
  }
}
