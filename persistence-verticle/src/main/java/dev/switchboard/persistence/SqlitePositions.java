package dev.switchboard.persistence;

import dev.switchboard.protocol.DeliveredUpdate;
import dev.switchboard.protocol.PositionsList;
import dev.switchboard.protocol.PositionsQuery;
import dev.switchboard.protocol.ReadRequest;
import dev.switchboard.protocol.SessionPositions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The read-position statements of the embedded store ({@link EventStore#advanceDelivered}, {@link
 * EventStore#advanceRead}, {@link EventStore#positions}), run by {@link SqliteEventConnection} inside its
 * transactions. Blocking; used by the thread that owns the connection.
 */
final class SqlitePositions {

  // SQLite's two-argument max() is NULL when either is: read_seq is compared by hand, delivered_seq is never NULL.
  private static final String UPSERT_DELIVERED = "INSERT INTO read_positions (user_id, session_id, delivered_seq)"
      + " VALUES (?, ?, ?) ON CONFLICT (user_id, session_id)"
      + " DO UPDATE SET delivered_seq = max(delivered_seq, excluded.delivered_seq)";
  private static final String UPSERT_READ = "INSERT INTO read_positions (user_id, session_id, read_seq)"
      + " VALUES (?, ?, ?) ON CONFLICT (user_id, session_id) DO UPDATE SET read_seq ="
      + " CASE WHEN read_seq IS NULL OR read_seq < excluded.read_seq THEN excluded.read_seq ELSE read_seq END";
  private static final String SELECT_ONE = "SELECT delivered_seq, read_seq FROM read_positions"
      + " WHERE user_id = ? AND session_id = ?";
  private static final String SELECT_ALL = "SELECT p.session_id, coalesce(h.last_seq, 0), p.delivered_seq, p.read_seq"
      + " FROM read_positions p LEFT JOIN session_heads h ON h.session_id = p.session_id"
      + " WHERE p.user_id = ? ORDER BY p.session_id LIMIT ?";
  private static final String SELECT_HEAD = "SELECT last_seq FROM session_heads WHERE session_id = ?";

  private SqlitePositions() {
  }

  static void advanceDelivered(Connection connection, DeliveredUpdate update) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_DELIVERED)) {
      for (DeliveredUpdate.Position position : update.positions()) {
        upsert.setString(1, position.userId());
        upsert.setString(2, position.sessionId());
        upsert.setLong(3, position.eventId());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  static SessionPositions advanceRead(Connection connection, ReadRequest request) throws SQLException {
    long head = head(connection, request.sessionId());
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_READ)) {
      upsert.setString(1, request.userId());
      upsert.setString(2, request.sessionId());
      upsert.setLong(3, Math.min(request.eventId(), head));
      upsert.executeUpdate();
    }
    return one(connection, request.userId(), request.sessionId(), head);
  }

  static PositionsList positions(Connection connection, PositionsQuery query) throws SQLException {
    List<SessionPositions> answer = new ArrayList<>();
    Set<String> named = new HashSet<>(query.sessionIds());
    for (String sessionId : query.sessionIds()) {
      answer.add(one(connection, query.userId(), sessionId, head(connection, sessionId)));
    }
    if (query.all()) {
      try (PreparedStatement all = connection.prepareStatement(SELECT_ALL)) {
        all.setString(1, query.userId());
        all.setInt(2, PositionsQuery.MAX_SESSIONS);
        try (ResultSet rs = all.executeQuery()) {
          while (rs.next() && answer.size() < PositionsQuery.MAX_SESSIONS) {
            if (!named.contains(rs.getString(1))) {
              answer.add(new SessionPositions(rs.getString(1), rs.getLong(2), rs.getLong(3), nullableLong(rs, 4)));
            }
          }
        }
      }
    }
    return new PositionsList(answer);
  }

  private static SessionPositions one(Connection connection, String userId, String sessionId, long head)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_ONE)) {
      select.setString(1, userId);
      select.setString(2, sessionId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? new SessionPositions(sessionId, head, rs.getLong(1), nullableLong(rs, 2))
            : new SessionPositions(sessionId, head, 0, null);
      }
    }
  }

  private static long head(Connection connection, String sessionId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_HEAD)) {
      select.setString(1, sessionId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
