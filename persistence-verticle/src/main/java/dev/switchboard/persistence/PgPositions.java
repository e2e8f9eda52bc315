package dev.switchboard.persistence;

import dev.switchboard.protocol.DeliveredUpdate;
import dev.switchboard.protocol.PositionsList;
import dev.switchboard.protocol.PositionsQuery;
import dev.switchboard.protocol.ReadRequest;
import dev.switchboard.protocol.SessionPositions;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The read-position statements of the PostgreSQL store ({@link EventStore#advanceDelivered}, {@link
 * EventStore#advanceRead}, {@link EventStore#positions}); each operation is one statement, so one snapshot and one
 * commit.
 */
final class PgPositions {

  // GREATEST ignores NULLs, so a first read position replaces "never set".
  private static final String UPSERT_DELIVERED = """
      INSERT INTO read_positions (user_id, session_id, delivered_seq)
      SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
      ON CONFLICT (user_id, session_id)
      DO UPDATE SET delivered_seq = greatest(read_positions.delivered_seq, excluded.delivered_seq)""";
  private static final String UPSERT_READ = """
      WITH h AS (SELECT coalesce((SELECT last_seq FROM session_heads WHERE session_id = $2), 0) AS head),
      u AS (
        INSERT INTO read_positions (user_id, session_id, read_seq)
        SELECT $1, $2, least($3::bigint, h.head) FROM h
        ON CONFLICT (user_id, session_id) DO UPDATE SET read_seq = greatest(read_positions.read_seq, excluded.read_seq)
        RETURNING delivered_seq, read_seq)
      SELECT h.head, u.delivered_seq, u.read_seq FROM h, u""";
  private static final String SELECT_NAMED_AND_ALL = """
      SELECT s.id AS session_id, coalesce(h.last_seq, 0) AS head, coalesce(p.delivered_seq, 0) AS delivered_seq,
             p.read_seq, s.ord
      FROM unnest($2::text[]) WITH ORDINALITY AS s (id, ord)
      LEFT JOIN session_heads h ON h.session_id = s.id
      LEFT JOIN read_positions p ON p.user_id = $1 AND p.session_id = s.id
      UNION ALL
      (SELECT p.session_id, coalesce(h.last_seq, 0), p.delivered_seq, p.read_seq, NULL
       FROM read_positions p LEFT JOIN session_heads h ON h.session_id = p.session_id
       WHERE $3 AND p.user_id = $1 AND NOT (p.session_id = ANY ($2::text[]))
       ORDER BY p.session_id LIMIT $4::integer)
      ORDER BY 5, 1""";

  private PgPositions() {
  }

  static Future<Void> advanceDelivered(Pool pool, DeliveredUpdate update) {
    // Rows locked in one order, so two edges' updates that share rows queue instead of deadlocking.
    List<DeliveredUpdate.Position> sorted = new ArrayList<>(update.positions());
    sorted.sort(Comparator.comparing(DeliveredUpdate.Position::userId)
        .thenComparing(DeliveredUpdate.Position::sessionId));
    String[] users = new String[sorted.size()];
    String[] sessions = new String[sorted.size()];
    Long[] eventIds = new Long[sorted.size()];
    for (int i = 0; i < sorted.size(); i++) {
      users[i] = sorted.get(i).userId();
      sessions[i] = sorted.get(i).sessionId();
      eventIds[i] = sorted.get(i).eventId();
    }
    Tuple arguments = Tuple.tuple().addArrayOfString(users).addArrayOfString(sessions).addArrayOfLong(eventIds);
    return pool.preparedQuery(UPSERT_DELIVERED).execute(arguments).mapEmpty();
  }

  static Future<SessionPositions> advanceRead(Pool pool, ReadRequest request) {
    return pool.preparedQuery(UPSERT_READ)
        .execute(Tuple.of(request.userId(), request.sessionId(), request.eventId()))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new SessionPositions(request.sessionId(), row.getLong("head"), row.getLong("delivered_seq"),
              row.getLong("read_seq"));
        });
  }

  static Future<PositionsList> positions(Pool pool, PositionsQuery query) {
    Tuple arguments = Tuple.tuple().addString(query.userId())
        .addArrayOfString(query.sessionIds().toArray(new String[0])).addBoolean(query.all())
        .addInteger(Math.max(0, PositionsQuery.MAX_SESSIONS - query.sessionIds().size()));
    return pool.preparedQuery(SELECT_NAMED_AND_ALL).execute(arguments).map(PgPositions::list);
  }

  private static PositionsList list(RowSet<Row> rows) {
    List<SessionPositions> sessions = new ArrayList<>(rows.size());
    Set<String> seen = new HashSet<>();
    for (Row row : rows) {
      // A session named twice in the query is answered once.
      if (seen.add(row.getString(0))) {
        sessions.add(new SessionPositions(row.getString(0), row.getLong(1), row.getLong(2), row.getLong(3)));
      }
    }
    return new PositionsList(sessions);
  }
}
