package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * A user's read position in a session moved ({@link Addresses#POSITIONS_CHANGES}): every edge tells that user's other
 * subscriptions of the session, so a second device sees what was read on the first.
 *
 * @param originConnectionId the connection whose {@code read} frame moved it (it has its answer), or null (REST)
 */
public record ReadChange(String userId, String originConnectionId, SessionPositions positions) {

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("originConnectionId", originConnectionId)
        .put("positions", positions.toJson());
  }

  public static ReadChange fromJson(JsonObject json) {
    return new ReadChange(json.getString("userId"), json.getString("originConnectionId"),
        SessionPositions.fromJson(json.getJsonObject("positions")));
  }
}
