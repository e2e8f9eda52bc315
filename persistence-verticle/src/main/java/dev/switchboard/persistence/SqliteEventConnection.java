package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.DeliveredUpdate;
import dev.switchboard.protocol.PositionsList;
import dev.switchboard.protocol.PositionsQuery;
import dev.switchboard.protocol.ReadRequest;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.SessionPositions;
import dev.switchboard.protocol.StoredEvent;
import io.vertx.core.json.JsonArray;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One JDBC connection to the embedded store's SQLite file, with the statements {@link EmbeddedEventStore} runs on
 * it; blocking, and used only by the thread that owns it (the store holds one writer and a few readers).
 *
 * <p>Transactions are explicit {@code BEGIN}/{@code COMMIT} statements on an auto-commit connection, because the
 * driver's own transaction mode opens the next transaction right after each commit, which would keep a reader's
 * snapshot (and so the WAL) pinned between requests.
 */
final class SqliteEventConnection implements AutoCloseable {

  private static final String SELECT_HEAD = "SELECT last_seq FROM session_heads WHERE session_id = ?";
  private static final String SELECT_BY_KEY = "SELECT seq, event_type, created_at, user_id, payload FROM events"
      + " WHERE session_id = ? AND coalesce(user_id, '') = ? AND idempotency_key = ?";
  private static final String INSERT_EVENT = "INSERT INTO events"
      + " (session_id, seq, event_type, payload, user_id, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
  private static final String UPSERT_HEAD = "INSERT INTO session_heads (session_id, last_seq) VALUES (?, ?)"
      + " ON CONFLICT (session_id) DO UPDATE SET last_seq = excluded.last_seq";
  private static final String SELECT_OLDEST = "SELECT MIN(seq) FROM events WHERE session_id = ?";
  private static final String SELECT_PAGE = "SELECT seq, event_type, created_at, user_id, payload FROM events"
      + " WHERE session_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?";
  // Behind each session's floor only: the newest snapshot's covered position (SnapshotRetention). Parameters: the
  // snapshots' span, then their event type.
  private static final String BELOW_FLOOR = """
      e.seq <= coalesce((
          SELECT max(s.seq - 1 - ?, min(s.seq - 1,
                 CASE WHEN json_type(s.payload, '$.after') IN ('text', 'integer')
                        AND CAST(json_extract(s.payload, '$.after') AS TEXT) NOT GLOB '*[^0-9]*'
                        AND length(CAST(json_extract(s.payload, '$.after') AS TEXT)) BETWEEN 1 AND 18
                      THEN CAST(json_extract(s.payload, '$.after') AS INTEGER)
                      ELSE s.seq - 1 END))
          FROM events s WHERE s.session_id = e.session_id AND s.event_type = ?
          ORDER BY s.seq DESC LIMIT 1), 9223372036854775807)""";
  // The excepted namespaces are a JSON array of names: a session id's text before its first ':' is its namespace.
  private static final String DELETE_OLDER = "DELETE FROM events WHERE rowid IN (SELECT e.rowid FROM events e"
      + " WHERE e.created_at < ? AND " + BELOW_FLOOR
      + " AND NOT (instr(e.session_id, ':') > 0"
      + " AND substr(e.session_id, 1, instr(e.session_id, ':') - 1) IN (SELECT value FROM json_each(?)))"
      + " LIMIT ?)";
  private static final String DELETE_OLDER_IN_RANGE = "DELETE FROM events WHERE rowid IN (SELECT e.rowid FROM events e"
      + " WHERE e.session_id >= ? AND e.session_id < ? AND e.created_at < ? AND " + BELOW_FLOOR + " LIMIT ?)";
  /** Only checkpoints and WAL recovery make a connection wait; a reader never waits for the writer. */
  private static final int BUSY_TIMEOUT_MS = 10_000;

  private final Connection connection;

  private SqliteEventConnection(Connection connection) {
    this.connection = connection;
  }

  /**
   * Opens a connection on {@code file} in WAL mode with {@code synchronous=FULL}: every commit is on disk (the WAL
   * is synced) before it returns, so an acknowledged batch survives kill -9 and power loss.
   */
  static SqliteEventConnection open(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    return new SqliteEventConnection(DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties()));
  }

  /** Brings the file's schema up to date; see {@link SqliteSchema#migrate}. */
  void migrate() throws SQLException {
    SqliteSchema.migrate(connection);
  }

  /** Stores a batch in one write transaction; see {@link EventStore#append}. */
  List<AppendOutcome> append(List<AppendRequest> batch, long now) throws SQLException {
    if (batch.isEmpty()) {
      return List.of();
    }
    List<AppendOutcome> outcomes = new ArrayList<>(batch.size());
    // The heads this batch moved, written back once at the end; a session not in it reads its stored head.
    Map<String, Long> batchHeads = new LinkedHashMap<>();
    Map<SessionKey, StoredEvent> keyedInBatch = new HashMap<>();
    execute("BEGIN IMMEDIATE");
    try (PreparedStatement selectHead = connection.prepareStatement(SELECT_HEAD);
         PreparedStatement selectByKey = connection.prepareStatement(SELECT_BY_KEY);
         PreparedStatement insert = connection.prepareStatement(INSERT_EVENT);
         PreparedStatement upsertHead = connection.prepareStatement(UPSERT_HEAD)) {
      for (AppendRequest request : batch) {
        SessionKey key = request.idempotencyKey() == null ? null
            : new SessionKey(request.sessionId(), IdempotencyScope.of(request.userId()), request.idempotencyKey());
        if (key != null) {
          StoredEvent original = keyedInBatch.get(key);
          if (original == null) {
            original = findByKey(selectByKey, key);
          }
          if (original != null) {
            outcomes.add(new AppendOutcome(original, true));
            continue;
          }
        }
        Long batchHead = batchHeads.get(request.sessionId());
        long seq = (batchHead == null ? storedHead(selectHead, request.sessionId()) : batchHead) + 1;
        batchHeads.put(request.sessionId(), seq);
        StoredEvent event = new StoredEvent(request.sessionId(), seq, request.eventType(), now, request.userId(),
            request.payload());
        addInsert(insert, event, request.idempotencyKey());
        if (key != null) {
          keyedInBatch.put(key, event);
        }
        outcomes.add(new AppendOutcome(event, false));
      }
      if (!batchHeads.isEmpty()) {
        insert.executeBatch();
        for (Map.Entry<String, Long> head : batchHeads.entrySet()) {
          upsertHead.setString(1, head.getKey());
          upsertHead.setLong(2, head.getValue());
          upsertHead.addBatch();
        }
        upsertHead.executeBatch();
      }
      execute("COMMIT");
      return outcomes;
    } catch (SQLException | RuntimeException e) {
      rollbackAfter(e);
      throw e;
    }
  }

  /** Reads one page from one snapshot; see {@link EventStore#replay}. */
  ReplayResult replay(ReplayRequest request) throws SQLException {
    execute("BEGIN");
    try {
      ReplayResult result = ReplayDecision.answer(request, new SnapshotReads(request));
      execute("COMMIT");
      return result;
    } catch (SQLException | RuntimeException e) {
      rollbackAfter(e);
      throw e;
    }
  }

  /** Moves delivered positions forward in one write transaction; see {@link EventStore#advanceDelivered}. */
  Void advanceDelivered(DeliveredUpdate update) throws SQLException {
    return inTransaction("BEGIN IMMEDIATE", () -> {
      SqlitePositions.advanceDelivered(connection, update);
      return null;
    });
  }

  /** Moves a read position forward in one write transaction; see {@link EventStore#advanceRead}. */
  SessionPositions advanceRead(ReadRequest request) throws SQLException {
    return inTransaction("BEGIN IMMEDIATE", () -> SqlitePositions.advanceRead(connection, request));
  }

  /** Reads one user's positions from one snapshot; see {@link EventStore#positions}. */
  PositionsList positions(PositionsQuery query) throws SQLException {
    return inTransaction("BEGIN", () -> SqlitePositions.positions(connection, query));
  }

  private <T> T inTransaction(String begin, Statements<T> statements) throws SQLException {
    execute(begin);
    try {
      T result = statements.run();
      execute("COMMIT");
      return result;
    } catch (SQLException | RuntimeException e) {
      rollbackAfter(e);
      throw e;
    }
  }

  /** Statements run inside {@link #inTransaction}. */
  @FunctionalInterface
  private interface Statements<T> {
    T run() throws SQLException;
  }

  /**
   * Deletes at most {@code limit} events created before {@code cutoff}, but none in the namespaces of
   * {@code exceptNamespaces}; returns how many it deleted.
   */
  int deleteChunk(long cutoff, Set<String> exceptNamespaces, int limit) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(DELETE_OLDER)) {
      delete.setLong(1, cutoff);
      delete.setLong(2, SnapshotRetention.MAX_SPAN);
      delete.setString(3, SnapshotRetention.EVENT_TYPE);
      delete.setString(4, new JsonArray(List.copyOf(exceptNamespaces)).encode());
      delete.setInt(5, limit);
      return delete.executeUpdate();
    }
  }

  /** One chunk of retention within the session ids {@code [from, to)}. */
  int deleteChunk(String from, String to, long cutoff, int limit) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(DELETE_OLDER_IN_RANGE)) {
      delete.setString(1, from);
      delete.setString(2, to);
      delete.setLong(3, cutoff);
      delete.setLong(4, SnapshotRetention.MAX_SPAN);
      delete.setString(5, SnapshotRetention.EVENT_TYPE);
      delete.setInt(6, limit);
      return delete.executeUpdate();
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  private Long oldestRetained(String sessionId) throws SQLException {
    try (PreparedStatement oldest = connection.prepareStatement(SELECT_OLDEST)) {
      oldest.setString(1, sessionId);
      try (ResultSet rs = oldest.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        long seq = rs.getLong(1);
        return rs.wasNull() ? null : seq;
      }
    }
  }

  private static long storedHead(PreparedStatement selectHead, String sessionId) throws SQLException {
    selectHead.setString(1, sessionId);
    try (ResultSet rs = selectHead.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static StoredEvent findByKey(PreparedStatement selectByKey, SessionKey key) throws SQLException {
    selectByKey.setString(1, key.sessionId());
    selectByKey.setString(2, key.user());
    selectByKey.setString(3, key.idempotencyKey());
    try (ResultSet rs = selectByKey.executeQuery()) {
      return rs.next() ? eventAt(rs, key.sessionId()) : null;
    }
  }

  /** Reads a row of {@code seq, event_type, created_at, user_id, payload}. */
  private static StoredEvent eventAt(ResultSet rs, String sessionId) throws SQLException {
    return new StoredEvent(sessionId, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
        rs.getString(5));
  }

  private static void addInsert(PreparedStatement insert, StoredEvent event, String idempotencyKey)
      throws SQLException {
    insert.setString(1, event.sessionId());
    insert.setLong(2, event.seq());
    insert.setString(3, event.eventType());
    insert.setString(4, event.payload());
    setNullable(insert, 5, event.userId());
    setNullable(insert, 6, idempotencyKey);
    insert.setLong(7, event.timestamp());
    insert.addBatch();
  }

  private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private void rollbackAfter(Exception cause) {
    try {
      execute("ROLLBACK");
    } catch (SQLException rollback) {
      // SQLite may already have rolled back by itself (after an I/O error, for example).
      cause.addSuppressed(rollback);
    }
  }

  /** The reads of one replay, made lazily inside the replay's transaction. */
  private final class SnapshotReads implements ReplayDecision.Reads<SQLException> {

    private final ReplayRequest request;

    SnapshotReads(ReplayRequest request) {
      this.request = request;
    }

    @Override
    public long head() throws SQLException {
      try (PreparedStatement selectHead = connection.prepareStatement(SELECT_HEAD)) {
        return storedHead(selectHead, request.sessionId());
      }
    }

    @Override
    public boolean nextRetained() throws SQLException {
      // Retention deletes a session's events oldest first: after + 1 is kept when the oldest kept is not later.
      Long oldest = oldestRetained(request.sessionId());
      return oldest != null && oldest <= request.after() + 1;
    }

    @Override
    public List<StoredEvent> page() throws SQLException {
      List<StoredEvent> events = new ArrayList<>();
      try (PreparedStatement page = connection.prepareStatement(SELECT_PAGE)) {
        page.setString(1, request.sessionId());
        page.setLong(2, request.after());
        page.setLong(3, request.upTo());
        page.setInt(4, ReplayDecision.pageLimit(request));
        try (ResultSet rs = page.executeQuery()) {
          while (rs.next()) {
            events.add(eventAt(rs, request.sessionId()));
          }
        }
      }
      return events;
    }
  }

  /** An idempotency key in its scope: the session and the publishing user ({@link IdempotencyScope}). */
  private record SessionKey(String sessionId, String user, String idempotencyKey) {
  }
}
