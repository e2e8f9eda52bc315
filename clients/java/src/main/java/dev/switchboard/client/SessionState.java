package dev.switchboard.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the client knows about one subscribed session: the position to resume from and who is present.
 *
 * <p>The position is the eventId of the last event accepted for delivery (or the head a {@code replayed} /
 * {@code reset} reported). Events arrive in eventId order on every transport, so "at or below the position" is
 * exactly "already delivered": that one comparison is the dedupe that keeps a replay overlap after a reconnect, or an
 * event seen on two transports during a switch, from reaching the application twice. Changed on the client loop only;
 * the position may be read from any thread.
 */
final class SessionState {

  final String sessionId;
  private volatile String position;
  private final Map<String, PresenceUser> presence = new LinkedHashMap<>();
  private int count;
  /** False once a diff carried counts only, until a diff names users again or a state arrives. */
  private boolean listed = true;

  SessionState(String sessionId, String position) {
    this.sessionId = sessionId;
    this.position = position;
  }

  String position() {
    return position;
  }

  /** Takes an event: true when it is new and advances the position, false for a duplicate. */
  boolean accept(String eventId) {
    if (position != null && Frames.compareEventIds(eventId, position) <= 0) {
      return false;
    }
    position = eventId;
    return true;
  }

  /** A {@code replayed} frame: live delivery continues after {@code lastEventId} (our position, if we gave one). */
  void replayed(String lastEventId) {
    if (position == null || Frames.compareEventIds(lastEventId, position) > 0) {
      position = lastEventId;
    }
  }

  /** A {@code reset}: the old position cannot be served; events continue after {@code lastEventId}. */
  void reset(String lastEventId) {
    position = lastEventId;
  }

  void setPresence(List<PresenceUser> users, int total) {
    presence.clear();
    for (PresenceUser user : users) {
      presence.put(user.userId(), user);
    }
    count = total >= 0 ? total : presence.size();
    listed = true;
  }

  /**
   * Applies a diff's leaves, then its joins (a join of a listed user updates them), and its count. A diff with counts
   * only ({@code joins} null) empties the list. Returns whether the list must be read again: users are named again
   * after counts-only diffs, so those present throughout are missing.
   */
  boolean applyDiff(List<PresenceUser> joins, List<PresenceUser> leaves, int total) {
    if (total >= 0) {
      count = total;
    }
    if (joins == null || leaves == null) {
      presence.clear();
      listed = false;
      return false;
    }
    for (PresenceUser user : leaves) {
      presence.remove(user.userId());
    }
    for (PresenceUser user : joins) {
      presence.put(user.userId(), user);
    }
    boolean stale = !listed;
    listed = true;
    return stale;
  }

  boolean listed() {
    return listed;
  }

  int count() {
    return count;
  }

  List<PresenceUser> users() {
    return Collections.unmodifiableList(new ArrayList<>(presence.values()));
  }
}
