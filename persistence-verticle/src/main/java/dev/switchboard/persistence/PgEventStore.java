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
import dev.switchboard.protocol.CallerContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@inheritDoc}
 *
 * <p>The {@link EventStore} for a cluster: one PostgreSQL database (docs/ARCHITECTURE.md, Storage) shared by any
 * number of persistence instances. A batch is one call of the {@code sb_append} function: one round trip, one commit.
 * It locks the heads of the batch's sessions (always in the same order), so instances appending to the same session
 * take turns and numbering stays gapless. Timestamps are PostgreSQL's clock, read under those locks.
 *
 * <p>Limits:
 * <ul>
 *   <li>Payloads are stored as {@code jsonb}: a stored event (in a replay, or as the original of a repeated
 *   idempotency key) carries PostgreSQL's normalised text (keys reordered, whitespace removed), while the outcome of
 *   the append that stored it carries the text as given. {@code jsonb} cannot hold the NUL character (U+0000).</li>
 *   <li>When the connection breaks or {@link PgConfig#queryTimeout()} passes while a batch commits, its future fails
 *   although PostgreSQL may have committed it. Such events then reach subscribers through gap repair, and a retry
 *   with the same idempotency key is answered with the original.</li>
 *   <li>When PostgreSQL is unreachable, operations fail as soon as a connection attempt fails (or after
 *   {@link PgConfig#connectTimeout()}); the pool connects again by itself on later operations.</li>
 * </ul>
 */
public final class PgEventStore implements EventStore {

  private static final String APPEND = "SELECT o_idx, o_seq, o_created_at, o_duplicate, o_event_type, o_user_id,"
      + " o_payload FROM sb_append($1, $2, $3, $4, $5)";
  // One statement, so one snapshot: the head, whether event after + 1 is retained, and the page agree.
  private static final String REPLAY = """
      SELECT h.head, h.next_kept, e.seq, e.event_type, e.created_at, e.user_id, e.payload::text AS payload
      FROM (SELECT coalesce((SELECT last_seq FROM session_heads WHERE session_id = $1), 0) AS head,
                   EXISTS (SELECT 1 FROM events WHERE session_id = $1 AND seq = $5::bigint) AS next_kept) h
      LEFT JOIN LATERAL (
        SELECT seq, event_type, created_at, user_id, payload FROM events
        WHERE session_id = $1 AND seq > $2::bigint AND seq <= $3::bigint
        ORDER BY seq LIMIT $4::integer) e ON true
      ORDER BY e.seq""";
  // SKIP LOCKED: instances sweeping at the same time share the work instead of waiting for each other. $5: the
  // excepted namespaces (a session id's text before its first ':' is its namespace).
  private static final String DELETE_OLDER = "DELETE FROM events WHERE ctid = ANY (ARRAY("
      + "SELECT e.ctid FROM events e WHERE e.created_at < $1 AND " + belowFloor("$3", "$4")
      + " AND NOT (strpos(e.session_id, ':') > 0 AND split_part(e.session_id, ':', 1) = ANY($5::text[]))"
      + " LIMIT $2 FOR UPDATE SKIP LOCKED))";
  /** The same within a range of session ids (the primary key's), for a namespace's or the canary's retention. */
  private static final String DELETE_OLDER_IN_RANGE = "DELETE FROM events WHERE ctid = ANY (ARRAY("
      + "SELECT e.ctid FROM events e WHERE e.session_id >= $3 AND e.session_id < $4 AND e.created_at < $1 AND "
      + belowFloor("$5", "$6") + " LIMIT $2 FOR UPDATE SKIP LOCKED))";

  /** What outbox refs became ({@code sb_published}) goes with the events of the same age. */
  private static final String DELETE_PUBLISHED_OLDER = "DELETE FROM sb_outbox_published WHERE ref = ANY (ARRAY("
      + "SELECT ref FROM sb_outbox_published WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))";

  /**
   * Behind its session's floor only: the newest snapshot's covered position (SnapshotRetention), found through the
   * partial index on snapshots, so sessions without one cost an empty index probe. {@code span} and {@code type} are
   * the parameters of the snapshots' span and event type.
   */
  private static String belowFloor(String span, String type) {
    return "e.seq <= coalesce((SELECT greatest(s.seq - 1 - " + span + "::bigint, least(s.seq - 1,"
        + " CASE WHEN s.payload->>'after' ~ '^[0-9]{1,18}$' THEN (s.payload->>'after')::bigint ELSE s.seq - 1 END))"
        + " FROM events s WHERE s.session_id = e.session_id AND s.event_type = " + type
        + " ORDER BY s.seq DESC LIMIT 1), 9223372036854775807)";
  }

  private final Vertx vertx;
  private final PgConfig config;

  /** Non-null from {@link #open} until {@link #close}. */
  private Pool pool;
  /** Non-null from {@link #watchOutbox} until {@link #close}. */
  private PgOutboxListener listener;
  /** Operations started and not yet finished. */
  private int running;
  /** Completed when the last running operation finishes after {@link #close}. */
  private Promise<Void> drained;

  public PgEventStore(Vertx vertx, PgConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** {@inheritDoc} Creates or migrates the schema ({@code PgSchema}); several instances may open at once. */
  @Override
  public Future<Void> open() {
    Context caller = vertx.getOrCreateContext();
    Pool opening;
    synchronized (this) {
      if (pool != null) {
        return Future.failedFuture(new IllegalStateException("event store already open"));
      }
      opening = PgBuilder.pool()
          .with(config.poolOptions())
          .with(config.netOptions())
          .connectingTo(config.connectOptions())
          .using(vertx)
          .build();
      pool = opening;
    }
    return CallerContext.completeOn(caller, PgSchema.migrate(opening).recover(e -> {
      abandon(opening);
      return Future.failedFuture(e);
    }));
  }

  /** {@inheritDoc} */
  @Override
  public Future<Void> close() {
    Context caller = vertx.getOrCreateContext();
    Pool closing;
    Promise<Void> idle = Promise.promise();
    synchronized (this) {
      if (pool == null) {
        return Future.succeededFuture();
      }
      closing = pool;
      pool = null;
      if (listener != null) {
        listener.close();
        listener = null;
      }
      if (running == 0) {
        idle.complete();
      } else {
        drained = idle;
      }
    }
    return CallerContext.completeOn(caller, idle.future().compose(v -> closing.close()));
  }

  /** {@inheritDoc} */
  @Override
  public Future<List<AppendOutcome>> append(List<AppendRequest> batch) {
    PgAppendBatch appending = new PgAppendBatch(List.copyOf(batch));
    return run(pool -> appending.isEmpty() ? Future.succeededFuture(List.of())
        : pool.preparedQuery(APPEND).execute(appending.arguments()).map(appending::outcomes));
  }

  /** {@inheritDoc} */
  @Override
  public Future<ReplayResult> replay(ReplayRequest request) {
    IllegalArgumentException refusal = ReplayDecision.refusal(request);
    if (refusal != null) {
      return Future.failedFuture(refusal);
    }
    // after + 1 computed here: in SQL it would overflow for Long.MAX_VALUE, which is merely beyond any head.
    long next = request.after() == Long.MAX_VALUE ? Long.MAX_VALUE : request.after() + 1;
    Tuple arguments = Tuple.of(request.sessionId(), request.after(), request.upTo(),
        ReplayDecision.pageLimit(request), next);
    return run(pool -> pool.preparedQuery(REPLAY).execute(arguments)
        .map(rows -> ReplayDecision.answer(request, ReplayRows.of(request.sessionId(), rows))));
  }

  /** {@inheritDoc} */
  @Override
  public Future<Long> deleteOlderThan(long cutoffEpochMillis, Set<String> exceptNamespaces) {
    // One statement per chunk, each its own transaction: row locks are held for one chunk only.
    Tuple arguments = Tuple.of(cutoffEpochMillis, RetentionChunks.CHUNK_SIZE);
    Tuple eventArguments = Tuple.of(cutoffEpochMillis, RetentionChunks.CHUNK_SIZE, SnapshotRetention.MAX_SPAN,
        SnapshotRetention.EVENT_TYPE).addArrayOfString(exceptNamespaces.toArray(String[]::new));
    return RetentionChunks.deleteAll(
            () -> run(pool -> pool.preparedQuery(DELETE_OLDER).execute(eventArguments).map(SqlResult::rowCount)),
            this::isOpen)
        .compose(deleted -> RetentionChunks.deleteAll(
                () -> run(pool -> pool.preparedQuery(DELETE_PUBLISHED_OLDER).execute(arguments)
                    .map(SqlResult::rowCount)),
                this::isOpen)
            .map(refs -> deleted));
  }

  /** {@inheritDoc} */
  @Override
  public Future<Long> deleteOlderThan(String sessionPrefix, long cutoffEpochMillis) {
    Tuple arguments = Tuple.of(cutoffEpochMillis, RetentionChunks.CHUNK_SIZE, sessionPrefix,
        EventStore.prefixEnd(sessionPrefix), SnapshotRetention.MAX_SPAN, SnapshotRetention.EVENT_TYPE);
    return RetentionChunks.deleteAll(
        () -> run(pool -> pool.preparedQuery(DELETE_OLDER_IN_RANGE).execute(arguments).map(SqlResult::rowCount)),
        this::isOpen);
  }

  /** {@inheritDoc} */
  @Override
  public Future<Void> advanceDelivered(DeliveredUpdate update) {
    return run(pool -> update.positions().isEmpty() ? Future.succeededFuture()
        : PgPositions.advanceDelivered(pool, update));
  }

  /** {@inheritDoc} */
  @Override
  public Future<SessionPositions> advanceRead(ReadRequest request) {
    return run(pool -> PgPositions.advanceRead(pool, request));
  }

  /** {@inheritDoc} */
  @Override
  public Future<PositionsList> positions(PositionsQuery query) {
    return run(pool -> PgPositions.positions(pool, query));
  }

  /** {@inheritDoc} Sees what committed before the relay took its turn ({@link PgOutbox}). */
  @Override
  public Future<List<AppendOutcome>> relayOutbox(int max) {
    return run(pool -> PgOutbox.relay(pool, max));
  }

  /** {@inheritDoc} {@code LISTEN} on a connection of its own ({@link PgOutboxListener}). */
  @Override
  public Future<Void> watchOutbox(Runnable wake) {
    Context caller = vertx.getOrCreateContext();
    PgOutboxListener started = new PgOutboxListener(vertx, config, wake);
    synchronized (this) {
      if (pool == null) {
        return Future.failedFuture(notOpen());
      }
      if (listener != null) {
        return Future.failedFuture(new IllegalStateException("the outbox is already watched"));
      }
      listener = started;
    }
    return CallerContext.completeOn(caller, started.start());
  }

  /**
   * Runs one operation on the pool, failing it after the query timeout, and completes it on the caller's context.
   */
  private <T> Future<T> run(Function<Pool, Future<T>> operation) {
    Context caller = vertx.getOrCreateContext();
    Pool current;
    synchronized (this) {
      if (pool == null) {
        return Future.failedFuture(notOpen());
      }
      current = pool;
      running++;
    }
    Future<T> outcome;
    try {
      outcome = operation.apply(current);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    long timeout = config.queryTimeout().toMillis();
    return CallerContext.completeOn(caller, outcome.timeout(timeout, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(e instanceof TimeoutException
            ? new TimeoutException("PostgreSQL did not answer within " + timeout + " ms") : e))
        .andThen(ar -> finished()));
  }

  private void finished() {
    Promise<Void> idle;
    synchronized (this) {
      running--;
      if (running > 0 || drained == null) {
        return;
      }
      idle = drained;
      drained = null;
    }
    idle.complete();
  }

  private synchronized boolean isOpen() {
    return pool != null;
  }

  private void abandon(Pool opening) {
    synchronized (this) {
      if (pool == opening) {
        pool = null;
      }
    }
    opening.close();
  }

  private static IllegalStateException notOpen() {
    return new IllegalStateException("event store is not open");
  }

  /** What the replay statement read, from one snapshot: the head, whether event after + 1 is kept, and the page. */
  private record ReplayRows(long head, boolean nextRetained, List<StoredEvent> page)
      implements ReplayDecision.Reads<RuntimeException> {

    static ReplayRows of(String sessionId, RowSet<Row> rows) {
      long head = 0;
      boolean nextRetained = false;
      List<StoredEvent> events = new ArrayList<>(rows.size());
      for (Row row : rows) {
        head = row.getLong("head");
        nextRetained = row.getBoolean("next_kept");
        Long seq = row.getLong("seq");
        if (seq != null) {
          events.add(new StoredEvent(sessionId, seq, row.getString("event_type"), row.getLong("created_at"),
              row.getString("user_id"), JsonText.compact(row.getString("payload"))));
        }
      }
      return new ReplayRows(head, nextRetained, events);
    }
  }
}
