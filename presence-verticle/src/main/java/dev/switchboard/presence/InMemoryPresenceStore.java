package dev.switchboard.presence;

import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceUser;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * {@inheritDoc}
 *
 * <p>Single node only: the state lives in this process, so it is lost on restart (the edges' next heartbeats bring it
 * back) and invisible to other nodes' presence verticles. Every method is synchronized and completes its future
 * before returning; a sweep visits every connection.
 */
public final class InMemoryPresenceStore implements PresenceStore {

  /** The lowest id a shown user can have: every anonymous entry's id is below it. */
  private static final String FIRST_SHOWN = "\u0001";

  /** Session id to its presence. */
  private final Map<String, SessionPresence> sessions = new HashMap<>();

  @Override
  public synchronized Future<Boolean> join(String sessionId, String nodeId, String connectionId, PresenceUser user,
                                           long nowMs) {
    return Future.succeededFuture(add(sessionId, new Connection(nodeId, connectionId), user, nowMs, true));
  }

  @Override
  public synchronized Future<PresenceUser> leave(String sessionId, String nodeId, String connectionId) {
    SessionPresence session = sessions.get(sessionId);
    if (session == null) {
      return Future.succeededFuture(null);
    }
    Seen seen = session.connections.remove(new Connection(nodeId, connectionId));
    if (seen == null) {
      return Future.succeededFuture(null);
    }
    return Future.succeededFuture(release(sessionId, session, seen.userId));
  }

  @Override
  public synchronized Future<List<PresenceUser>> users(String sessionId, String afterUserId, int limit) {
    SessionPresence session = sessions.get(sessionId);
    if (session == null || limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    // Anonymous entries' ids start with NUL, so every shown user's id is at least FIRST_SHOWN.
    NavigableMap<String, UserConnections> after = afterUserId == null || afterUserId.compareTo(FIRST_SHOWN) < 0
        ? session.users.tailMap(FIRST_SHOWN, true) : session.users.tailMap(afterUserId, false);
    List<PresenceUser> users = new ArrayList<>(Math.min(limit, after.size()));
    for (UserConnections present : after.values()) {
      if (users.size() == limit) {
        break;
      }
      users.add(present.user);
    }
    return Future.succeededFuture(users);
  }

  @Override
  public synchronized Future<List<Integer>> counts(List<String> sessionIds) {
    List<Integer> counts = new ArrayList<>(sessionIds.size());
    for (String sessionId : sessionIds) {
      SessionPresence session = sessions.get(sessionId);
      counts.add(session == null ? 0 : session.users.size() - session.anonymousTotal());
    }
    return Future.succeededFuture(counts);
  }

  @Override
  public synchronized Future<List<Map<String, Integer>>> anonymousCounts(List<String> sessionIds) {
    List<Map<String, Integer>> counts = new ArrayList<>(sessionIds.size());
    for (String sessionId : sessionIds) {
      SessionPresence session = sessions.get(sessionId);
      counts.add(session == null ? Map.of() : Map.copyOf(session.anonymous));
    }
    return Future.succeededFuture(counts);
  }

  @Override
  public synchronized Future<List<PresenceChange>> refresh(String nodeId, List<PresenceHeartbeat.Entry> connections,
                                                           long nowMs) {
    List<PresenceChange> joins = new ArrayList<>();
    for (PresenceHeartbeat.Entry entry : connections) {
      if (add(entry.sessionId(), new Connection(nodeId, entry.connectionId()), entry.user(), nowMs, false)) {
        joins.add(new PresenceChange(entry.sessionId(), PresenceAction.JOIN, entry.user()));
      }
    }
    return Future.succeededFuture(joins);
  }

  @Override
  public synchronized Future<List<PresenceChange>> sweep(long olderThanMs) {
    List<PresenceChange> leaves = new ArrayList<>();
    for (Map.Entry<String, SessionPresence> entry : new ArrayList<>(sessions.entrySet())) {
      String sessionId = entry.getKey();
      SessionPresence session = entry.getValue();
      for (Iterator<Seen> it = session.connections.values().iterator(); it.hasNext(); ) {
        Seen seen = it.next();
        if (seen.atMs < olderThanMs) {
          it.remove();
          PresenceUser left = release(sessionId, session, seen.userId);
          if (left != null) {
            leaves.add(new PresenceChange(sessionId, PresenceAction.LEAVE, left));
          }
        }
      }
    }
    return Future.succeededFuture(leaves);
  }

  /**
   * Adds or refreshes one connection; true when its user was not present before. A join also updates the user's
   * display fields, a refresh of a known connection does not.
   */
  private boolean add(String sessionId, Connection key, PresenceUser user, long nowMs, boolean isJoin) {
    SessionPresence session = sessions.computeIfAbsent(sessionId, id -> new SessionPresence());
    Seen seen = session.connections.get(key);
    if (seen != null) {
      seen.atMs = Math.max(seen.atMs, nowMs);
      if (isJoin && seen.userId.equals(user.userId())) {
        session.users.get(seen.userId).user = user;
      }
      return false;
    }
    session.connections.put(key, new Seen(user.userId(), nowMs));
    UserConnections present = session.users.get(user.userId());
    if (present == null) {
      session.users.put(user.userId(), new UserConnections(user));
      String anonymousType = PresenceUser.anonymousType(user.userId());
      if (anonymousType != null) {
        session.anonymous.merge(anonymousType, 1, Integer::sum);
      }
      return true;
    }
    present.user = user;
    present.count++;
    return false;
  }

  /** Drops one connection of {@code userId}; the user when it was their last, and the session when it empties. */
  private PresenceUser release(String sessionId, SessionPresence session, String userId) {
    UserConnections present = session.users.get(userId);
    if (--present.count > 0) {
      return null;
    }
    session.users.remove(userId);
    String anonymousType = PresenceUser.anonymousType(userId);
    if (anonymousType != null) {
      session.anonymous.computeIfPresent(anonymousType, (type, count) -> count > 1 ? count - 1 : null);
    }
    if (session.users.isEmpty()) {
      sessions.remove(sessionId);
    }
    return present.user;
  }

  /**
   * One session: its connections, per user in user id order (for paging) how many of them are theirs, and how many
   * of those users are anonymous entries per actor type.
   */
  private static final class SessionPresence {
    final Map<Connection, Seen> connections = new HashMap<>();
    final TreeMap<String, UserConnections> users = new TreeMap<>();
    final Map<String, Integer> anonymous = new HashMap<>();

    int anonymousTotal() {
      int total = 0;
      for (int count : anonymous.values()) {
        total += count;
      }
      return total;
    }
  }

  /** A connection's owner and when it was last seen. */
  private static final class Seen {
    final String userId;
    long atMs;

    Seen(String userId, long atMs) {
      this.userId = userId;
      this.atMs = atMs;
    }
  }

  /** A present user as last joined, and how many connections they have in the session. */
  private static final class UserConnections {
    PresenceUser user;
    int count = 1;

    UserConnections(PresenceUser user) {
      this.user = user;
    }
  }

  private record Connection(String nodeId, String connectionId) {
  }
}
