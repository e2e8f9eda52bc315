package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Asks persistence for a page of a session's events ({@link Addresses#EVENTS_REPLAY}); answered with
 * {@link ReplayResult}.
 *
 * @param after the page starts after this sequence number (0 = from the beginning)
 * @param upTo the page ends at or before this sequence number ({@link Long#MAX_VALUE} for no bound)
 * @param limit at most this many events; 0 asks only for the head
 */
public record ReplayRequest(String sessionId, long after, long upTo, int limit) {

  /** Asks only for the session's head. */
  public static ReplayRequest head(String sessionId) {
    return new ReplayRequest(sessionId, 0, Long.MAX_VALUE, 0);
  }

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("after", after).put("upTo", upTo).put("limit", limit);
  }

  public static ReplayRequest fromJson(JsonObject json) {
    return new ReplayRequest(json.getString("sessionId"), json.getLong("after"), json.getLong("upTo"),
        json.getInteger("limit"));
  }
}
