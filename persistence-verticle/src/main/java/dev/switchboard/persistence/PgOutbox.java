package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The relay of the PostgreSQL outbox ({@link PgOutboxSchema}): in one transaction, takes the oldest committed rows
 * that {@code sb_publish} wrote, appends them with {@code sb_append} as any batch is appended (numbering, idempotency
 * keys, heads), and records what each row became for {@code sb_published}. The transaction commits all of it or
 * none: a row is numbered exactly once, whichever instance relays it, and a relay that dies leaves its rows in the
 * outbox for the next one.
 */
final class PgOutbox {

  private static final String CLAIM = "SELECT c_ref, c_session_id, c_event_type, c_payload, c_user_id,"
      + " c_idempotency_key FROM sb_outbox_claim($1)";
  private static final String RECORD = "INSERT INTO sb_outbox_published (ref, session_id, seq, created_at)"
      + " SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[])";

  private PgOutbox() {
  }

  /** Relays at most {@code max} rows; the outcomes are in outbox order, and empty when the outbox was. */
  static Future<List<AppendOutcome>> relay(Pool pool, int max) {
    return pool.withTransaction(connection -> connection.preparedQuery(CLAIM).execute(Tuple.of(max))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(List.<AppendOutcome>of());
          }
          List<Long> refs = new ArrayList<>(rows.size());
          List<AppendRequest> requests = new ArrayList<>(rows.size());
          for (Row row : rows) {
            refs.add(row.getLong("c_ref"));
            // jsonb's text has spaces after colons and commas; the live event carries it compact, as a replay does.
            requests.add(new AppendRequest(row.getString("c_session_id"), row.getString("c_event_type"),
                JsonText.compact(row.getString("c_payload")), row.getString("c_user_id"),
                row.getString("c_idempotency_key")));
          }
          return append(connection, requests).compose(outcomes -> record(connection, refs, outcomes));
        }));
  }

  private static Future<List<AppendOutcome>> append(SqlConnection connection, List<AppendRequest> requests) {
    PgAppendBatch batch = new PgAppendBatch(requests);
    return connection.preparedQuery(PgEventStore.APPEND).execute(batch.arguments()).map(batch::outcomes);
  }

  private static Future<List<AppendOutcome>> record(SqlConnection connection, List<Long> refs,
                                                    List<AppendOutcome> outcomes) {
    int size = refs.size();
    Long[] refArray = refs.toArray(new Long[0]);
    String[] sessions = new String[size];
    Long[] seqs = new Long[size];
    Long[] createdAt = new Long[size];
    for (int i = 0; i < size; i++) {
      AppendOutcome outcome = outcomes.get(i);
      sessions[i] = outcome.event().sessionId();
      seqs[i] = outcome.event().seq();
      createdAt[i] = outcome.event().timestamp();
    }
    Tuple arguments = Tuple.tuple().addArrayOfLong(refArray).addArrayOfString(sessions).addArrayOfLong(seqs)
        .addArrayOfLong(createdAt);
    return connection.preparedQuery(RECORD).execute(arguments).map(done -> outcomes);
  }
}
