package dev.switchboard.client;

import java.util.List;

/**
 * A change of a subscribed session's presence, with the list and count after it. A diff that names several users is
 * reported as one change per user (leaves first); a diff with counts only (a session above the server's
 * {@code SB_PRESENCE_BROADCAST_MAX}) is one {@link Action#COUNT} change with an empty list.
 */
public final class PresenceChange {

  /** What happened. */
  public enum Action { STATE, JOIN, LEAVE, COUNT }

  private final String sessionId;
  private final Action action;
  private final PresenceUser user;
  private final List<PresenceUser> users;
  private final int count;

  public PresenceChange(String sessionId, Action action, PresenceUser user, List<PresenceUser> users, int count) {
    this.sessionId = sessionId;
    this.action = action;
    this.user = user;
    this.users = users;
    this.count = count;
  }

  public String sessionId() {
    return sessionId;
  }

  public Action action() {
    return action;
  }

  /** The user who joined or left, or null for {@code STATE} and {@code COUNT}. */
  public PresenceUser user() {
    return user;
  }

  /** Who is present as far as the client knows (the first page for a big session), unmodifiable. */
  public List<PresenceUser> users() {
    return users;
  }

  /** Every present user, counted once. */
  public int count() {
    return count;
  }

  @Override
  public String toString() {
    return "PresenceChange{" + sessionId + " " + action + " " + (user == null ? "" : user + " ") + count + "}";
  }
}
