package dev.switchboard.presence;

import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceUser;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * Who is in which session (docs/ARCHITECTURE.md, Presence): a user is present in a session while at least one of their
 * connections is, so several tabs or devices of one user count once.
 *
 * <p>A connection is identified by {@code (nodeId, connectionId)} and belongs to one user for its whole life; one
 * connection may be in several sessions. Each connection in a session has a last-seen time, set by {@link #join} and
 * moved forward by {@link #refresh} (an edge's heartbeat, for all its connections at once); {@link #sweep} removes
 * connections whose edge stopped refreshing them, so a crashed node's users leave within a bounded time.
 *
 * <p>Each method's effect is atomic: concurrent callers never see half of a join or a leave, and of two concurrent
 * joins of one user exactly one is reported first. Calls made one after another take effect in that order. Methods
 * may be called from any thread; the returned future completes on the caller's context. A failed future means the
 * store could not be reached and the call may or may not have taken effect.
 *
 * <p>An anonymous subscriber's connection is a user of its own ({@link PresenceUser#anonymous}), joined, refreshed,
 * swept and announced like any; but it is never listed by {@link #users} nor counted by {@link #counts}: only
 * {@link #anonymousCounts} counts it, by the actor type its id carries.
 */
public interface PresenceStore {

  /**
   * Adds a connection to a session, last seen at {@code nowMs}. The stored user becomes {@code user} (its display
   * fields may have changed). Joining again with a connection already in the session only refreshes it.
   *
   * @return true when this is the user's first connection in the session: announce a join
   */
  Future<Boolean> join(String sessionId, String nodeId, String connectionId, PresenceUser user, long nowMs);

  /**
   * Removes a connection from a session.
   *
   * @return the user when it was their last connection in the session (announce a leave); {@code null} when they
   *         have another, or when the connection was not in the session
   */
  Future<PresenceUser> leave(String sessionId, String nodeId, String connectionId);

  /**
   * One page of the users present in a session, each once, ordered by user id (in the store's own comparison, the
   * same on every call): at most {@code limit} users whose id comes after {@code afterUserId} ({@code null}: from the
   * first). A user present throughout a paging walk appears in exactly one of its pages. Empty for an unknown session.
   * Anonymous entries are never listed.
   */
  Future<List<PresenceUser>> users(String sessionId, String afterUserId, int limit);

  /**
   * How many users are present in each session, each counted once, in the order of {@code sessionIds}; cheap whatever
   * the sessions' sizes, and one round trip for many sessions. Anonymous entries are not counted.
   */
  Future<List<Integer>> counts(List<String> sessionIds);

  /**
   * How many anonymous entries each session holds per actor type (types with none left out), in the order of
   * {@code sessionIds}; as cheap as {@link #counts}.
   */
  Future<List<Map<String, Integer>>> anonymousCounts(List<String> sessionIds);

  /** How many users are present in one session, as {@link #counts} says. */
  default Future<Integer> count(String sessionId) {
    return counts(List.of(sessionId)).map(counts -> counts.get(0));
  }

  /**
   * Marks each listed connection of {@code nodeId} as seen at {@code nowMs}, adding it again when the store does not
   * have it (it was lost in an outage or a restart, or its join failed). Connections of the node that are not listed
   * are left to expire. Display fields of connections the store already has are left as they are.
   *
   * @return one {@code JOIN} per user and session that was not present before this call
   */
  Future<List<PresenceChange>> refresh(String nodeId, List<PresenceHeartbeat.Entry> connections, long nowMs);

  /**
   * Removes every connection last seen before {@code olderThanMs}.
   *
   * @return one {@code LEAVE} per user and session left without a connection; a user who still has a fresh
   *         connection in the session is not reported
   */
  Future<List<PresenceChange>> sweep(long olderThanMs);

  /** Releases connections and timers; the store is not used afterwards. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
