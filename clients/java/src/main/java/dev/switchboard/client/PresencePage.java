package dev.switchboard.client;

import java.util.List;

/** One page of a session's presence as read from the server: users ordered by id, the total count, the next cursor. */
public final class PresencePage {

  private final List<PresenceUser> users;
  private final int count;
  private final String nextCursor;

  public PresencePage(List<PresenceUser> users, int count, String nextCursor) {
    this.users = users;
    this.count = count;
    this.nextCursor = nextCursor;
  }

  /** This page's users, unmodifiable. */
  public List<PresenceUser> users() {
    return users;
  }

  public int count() {
    return count;
  }

  /** The cursor of the next page, or null on the last one. */
  public String nextCursor() {
    return nextCursor;
  }
}
