package dev.switchboard.presence;

import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceChange;
import dev.switchboard.protocol.PresenceUser;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@inheritDoc}
 *
 * <p>Single node only: the state lives in this process, so it is lost on restart and invisible to other nodes'
 * presence verticles. Every method is synchronized and completes its future before returning.
 */
public final class InMemoryPresenceStore implements PresenceStore {

  /** Session id to its presence. */
  private final Map<String, SessionPresence> sessions = new HashMap<>();
  /** Node id to the sessions each of its connections is in, so a heartbeat touches only that node's entries. */
  private final Map<String, Map<String, Set<String>>> nodes = new HashMap<>();

  @Override
  public synchronized Future<Boolean> join(String sessionId, String nodeId, String connectionId, PresenceUser user,
                                           long nowMs) {
    SessionPresence session = sessions.computeIfAbsent(sessionId, id -> new SessionPresence());
    Connection key = new Connection(nodeId, connectionId);
    Seen seen = session.connections.get(key);
    if (seen != null) {
      seen.atMs = Math.max(seen.atMs, nowMs);
      if (seen.userId.equals(user.userId())) {
        session.users.get(seen.userId).user = user;
      }
      return Future.succeededFuture(false);
    }
    session.connections.put(key, new Seen(user.userId(), nowMs));
    nodes.computeIfAbsent(nodeId, id -> new HashMap<>()).computeIfAbsent(connectionId, id -> new HashSet<>())
        .add(sessionId);
    UserConnections present = session.users.get(user.userId());
    if (present == null) {
      session.users.put(user.userId(), new UserConnections(user));
      return Future.succeededFuture(true);
    }
    present.user = user;
    present.count++;
    return Future.succeededFuture(false);
  }

  @Override
  public synchronized Future<PresenceUser> leave(String sessionId, String nodeId, String connectionId) {
    SessionPresence session = sessions.get(sessionId);
    if (session == null) {
      return Future.succeededFuture(null);
    }
    Connection key = new Connection(nodeId, connectionId);
    Seen seen = session.connections.remove(key);
    if (seen == null) {
      return Future.succeededFuture(null);
    }
    forgetOnNode(key, sessionId);
    return Future.succeededFuture(release(sessionId, session, seen.userId));
  }

  @Override
  public synchronized Future<List<PresenceUser>> users(String sessionId) {
    SessionPresence session = sessions.get(sessionId);
    List<PresenceUser> users = new ArrayList<>(session == null ? 0 : session.users.size());
    if (session != null) {
      session.users.values().forEach(present -> users.add(present.user));
    }
    return Future.succeededFuture(users);
  }

  @Override
  public synchronized Future<Integer> count(String sessionId) {
    SessionPresence session = sessions.get(sessionId);
    return Future.succeededFuture(session == null ? 0 : session.users.size());
  }

  @Override
  public synchronized Future<Void> refresh(String nodeId, long nowMs) {
    Map<String, Set<String>> connections = nodes.getOrDefault(nodeId, Map.of());
    connections.forEach((connectionId, sessionIds) -> {
      Connection key = new Connection(nodeId, connectionId);
      for (String sessionId : sessionIds) {
        Seen seen = sessions.get(sessionId).connections.get(key);
        seen.atMs = Math.max(seen.atMs, nowMs);
      }
    });
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<PresenceChange>> sweep(long olderThanMs) {
    List<PresenceChange> leaves = new ArrayList<>();
    for (Map.Entry<String, SessionPresence> entry : new ArrayList<>(sessions.entrySet())) {
      String sessionId = entry.getKey();
      SessionPresence session = entry.getValue();
      for (Iterator<Map.Entry<Connection, Seen>> it = session.connections.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Connection, Seen> connection = it.next();
        if (connection.getValue().atMs < olderThanMs) {
          it.remove();
          forgetOnNode(connection.getKey(), sessionId);
          PresenceUser left = release(sessionId, session, connection.getValue().userId);
          if (left != null) {
            leaves.add(new PresenceChange(sessionId, PresenceAction.LEAVE, left));
          }
        }
      }
    }
    return Future.succeededFuture(leaves);
  }

  /** Drops one connection of {@code userId}; the user when it was their last, and the session when it empties. */
  private PresenceUser release(String sessionId, SessionPresence session, String userId) {
    UserConnections present = session.users.get(userId);
    if (--present.count > 0) {
      return null;
    }
    session.users.remove(userId);
    if (session.users.isEmpty()) {
      sessions.remove(sessionId);
    }
    return present.user;
  }

  private void forgetOnNode(Connection key, String sessionId) {
    Map<String, Set<String>> connections = nodes.get(key.nodeId());
    Set<String> sessionIds = connections.get(key.connectionId());
    sessionIds.remove(sessionId);
    if (sessionIds.isEmpty()) {
      connections.remove(key.connectionId());
      if (connections.isEmpty()) {
        nodes.remove(key.nodeId());
      }
    }
  }

  /** One session: its connections and, per user, how many of them are theirs (in join order, for stable output). */
  private static final class SessionPresence {
    final Map<Connection, Seen> connections = new HashMap<>();
    final Map<String, UserConnections> users = new LinkedHashMap<>();
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
