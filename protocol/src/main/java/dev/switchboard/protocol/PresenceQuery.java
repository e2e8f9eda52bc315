package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Asks presence who is in a session ({@link Addresses#PRESENCE_QUERY}); answered with {@link PresenceState}: how many
 * users, and one page of at most {@code limit} of them ordered by user id, starting after {@code cursor}.
 *
 * @param cursor the {@link PresenceState#nextCursor()} of the previous page, or {@code null} for the first page
 * @param limit  users per page, 0-{@link #MAX_LIMIT}; 0 asks for the count alone
 */
public record PresenceQuery(String sessionId, String cursor, int limit) {

  /** The page size when a client names none: enough for most rooms, small enough for every subscribe in a big one. */
  public static final int DEFAULT_LIMIT = 100;
  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  /** The first page of the default size. */
  public PresenceQuery(String sessionId) {
    this(sessionId, null, DEFAULT_LIMIT);
  }

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("cursor", cursor).put("limit", limit);
  }

  public static PresenceQuery fromJson(JsonObject json) {
    return new PresenceQuery(json.getString("sessionId"), json.getString("cursor"),
        json.getInteger("limit", DEFAULT_LIMIT));
  }
}
