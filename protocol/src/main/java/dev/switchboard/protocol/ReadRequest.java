package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Moves a user's read position in a session forward to {@code eventId} ({@link Addresses#POSITIONS_READ}); answered
 * with the {@link SessionPositions} in force afterwards. A position beyond the head counts as the head; one behind
 * the stored position changes nothing.
 */
public record ReadRequest(String userId, String sessionId, long eventId) {

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("sessionId", sessionId).put("eventId", eventId);
  }

  public static ReadRequest fromJson(JsonObject json) {
    return new ReadRequest(json.getString("userId"), json.getString("sessionId"), json.getLong("eventId"));
  }
}
