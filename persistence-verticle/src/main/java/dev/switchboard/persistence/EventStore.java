package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.DeliveredUpdate;
import dev.switchboard.protocol.PositionsList;
import dev.switchboard.protocol.PositionsQuery;
import dev.switchboard.protocol.ReadRequest;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.SessionPositions;
import io.vertx.core.Future;

import java.util.List;
import java.util.Set;

/**
 * The durable, per-session numbered event log behind {@code events.append} and {@code events.replay}.
 *
 * <p>Every method may be called from any thread, concurrently; each returned future completes on the Vert.x
 * context of the caller (a fresh one when the caller has none). A failed future means the operation did not take
 * effect: a failed {@link #append} stored none of its batch, so the caller may report the events as not stored.
 *
 * <p>Sequence numbers ({@code seq}, the client-visible eventId) are per session, start at 1, and are gapless and
 * strictly increasing in commit order. A session's head is its last assigned {@code seq}; it never goes back, not
 * even when retention deletes the events behind it.
 */
public interface EventStore {

  /** The most events one {@link #replay} answers, whatever the request's limit. */
  int MAX_REPLAY_PAGE = 1000;

  /** Opens (creating or migrating when needed) the storage; no other method may be called before it succeeds. */
  Future<Void> open();

  /**
   * Closes the storage after every operation already started has finished; later calls fail. Closing a store that
   * is not open succeeds.
   */
  Future<Void> close();

  /**
   * Stores a batch of events in one transaction: all of them are durable when the future succeeds, none when it
   * fails.
   *
   * <p>Each new event gets its session's next sequence number (batch order decides within a session) and the
   * store's wall-clock time in milliseconds. A request whose {@code (sessionId, userId, idempotencyKey)} is already
   * stored, or appears earlier in the same batch, stores nothing: its outcome is the original event with
   * {@code duplicate = true}. A key belongs to its publisher ({@link IdempotencyScope}); requests without a user share
   * one scope.
   *
   * @param batch valid requests (session id, event type and payload present); may be empty
   * @return one outcome per request, in the batch's order
   */
  Future<List<AppendOutcome>> append(List<AppendRequest> batch);

  /**
   * Reads a page of one session's events, from one consistent snapshot.
   *
   * <p>The result's head is the session's last sequence number (0 for a session never seen). Then, in this order:
   * <ol>
   *   <li>{@code limit == 0}: no events, no reset (a head-only request);</li>
   *   <li>{@code after > head}: no events, reset {@code UNKNOWN_EVENT} (the position was never stored);</li>
   *   <li>{@code 0 < after < head} and event {@code after + 1} was deleted by retention: no events, reset
   *   {@code HISTORY_EXPIRED} ({@code after == 0} asks for whatever is retained and is never expired);</li>
   *   <li>otherwise the events with {@code after < seq <= upTo}, ascending, at most
   *   {@code min(limit, MAX_REPLAY_PAGE)} of them.</li>
   * </ol>
   *
   * @param request {@code after >= 0} and {@code limit >= 0}, else the future fails with
   *                {@link IllegalArgumentException}
   */
  Future<ReplayResult> replay(ReplayRequest request);

  /**
   * Deletes every event stored before {@code cutoffEpochMillis} (retention), in bounded chunks so appends are never
   * held up for long, except a session's newest snapshot and every event after the position it covers
   * ({@link SnapshotRetention}), and the events of sessions in {@code exceptNamespaces} (whose id starts with one of
   * them and {@code :}: namespaces with a history window of their own). What is deleted of a session is always a
   * prefix of it (oldest first). Idempotency keys go with their events; session heads stay, so numbering continues.
   *
   * <p>The excepted namespaces' old events are passed over, not skipped through an index: many of them (a namespace
   * that keeps its history) make each chunk read more.
   *
   * @return how many events were deleted
   */
  Future<Long> deleteOlderThan(long cutoffEpochMillis, Set<String> exceptNamespaces);

  /** {@link #deleteOlderThan(long, Set)} excepting no namespace. */
  default Future<Long> deleteOlderThan(long cutoffEpochMillis) {
    return deleteOlderThan(cutoffEpochMillis, Set.of());
  }

  /**
   * Deletes the events of sessions whose ids start with {@code sessionPrefix} stored before {@code cutoffEpochMillis},
   * in the same bounded chunks and with the same exception for snapshots: the retention of a namespace with a window
   * of its own ({@code "poll:"}), and the shorter one of the canary's sessions (docs/ARCHITECTURE.md, Delivery
   * canary). Other sessions are untouched; heads stay.
   *
   * @return how many events were deleted
   */
  Future<Long> deleteOlderThan(String sessionPrefix, long cutoffEpochMillis);

  /**
   * Moves delivered positions forward, in one write: each (user, session)'s stored position becomes the larger of
   * itself and the update's (docs/ARCHITECTURE.md, Read positions). A pair may appear at most once per update.
   */
  Future<Void> advanceDelivered(DeliveredUpdate update);

  /**
   * Moves one user's read position in a session forward to {@code request.eventId()}, or to the session's head when
   * that is beyond it; never back.
   *
   * @return the positions in force afterwards, with the session's head
   */
  Future<SessionPositions> advanceRead(ReadRequest request);

  /**
   * One user's positions, from one snapshot: each of {@code query.sessionIds()} in that order (delivered 0 and read
   * null where the user has none), then, when {@code query.all()}, every other session the user has positions in,
   * by session id, up to {@link PositionsQuery#MAX_SESSIONS} entries in all. Each entry carries its session's head.
   */
  Future<PositionsList> positions(PositionsQuery query);

  /**
   * Numbers and stores, in one transaction, up to {@code max} of the events that applications committed to the
   * store's outbox in their own transactions (PostgreSQL's {@code sb_publish}), oldest first, exactly as
   * {@link #append} stores a batch (a stored idempotency key stores nothing and answers the original). Each outbox
   * event is stored once whichever instance relays it; a failed relay leaves its events in the outbox. A store without
   * an outbox answers an empty list.
   *
   * @return the outcomes in outbox order, each with its whole event; empty when nothing was waiting (a page may hold
   *         fewer than {@code max} while more is waiting)
   */
  default Future<List<AppendOutcome>> relayOutbox(int max) {
    return Future.succeededFuture(List.of());
  }

  /**
   * From now until {@link #close}, calls {@code wake} (on any thread) whenever the outbox may hold newly committed
   * events; notifications can be lost, so callers also relay now and then. A store without an outbox never calls it.
   */
  default Future<Void> watchOutbox(Runnable wake) {
    return Future.succeededFuture();
  }

  /** The smallest string greater than every string starting with {@code prefix} (its last character plus one). */
  static String prefixEnd(String prefix) {
    return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
  }
}
