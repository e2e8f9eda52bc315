package dev.switchboard.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The subscribed sessions and their states. Changed on the client loop; read from any thread. */
final class Subscriptions {

  private final Map<String, SessionState> sessions = new ConcurrentHashMap<>();

  /** Adds a session; null when it is already subscribed. */
  SessionState add(String sessionId, String position) {
    SessionState state = new SessionState(sessionId, position);
    return sessions.putIfAbsent(sessionId, state) == null ? state : null;
  }

  boolean remove(String sessionId) {
    return sessions.remove(sessionId) != null;
  }

  SessionState get(String sessionId) {
    return sessionId == null ? null : sessions.get(sessionId);
  }

  List<String> ids() {
    return new ArrayList<>(sessions.keySet());
  }

  List<LinkContext.SessionPosition> positions() {
    List<LinkContext.SessionPosition> positions = new ArrayList<>();
    for (SessionState state : sessions.values()) {
      positions.add(new LinkContext.SessionPosition(state.sessionId, state.position()));
    }
    return positions;
  }
}
