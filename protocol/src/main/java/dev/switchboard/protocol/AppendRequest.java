package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Asks persistence to store one event ({@link Addresses#EVENTS_APPEND}); answered with {@link AppendResult}.
 *
 * @param payload validated JSON text
 * @param idempotencyKey optional; a key the session already stored returns the original event
 */
public record AppendRequest(String sessionId, String eventType, String payload, String userId,
                            String idempotencyKey) {

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("eventType", eventType).put("payload", payload)
        .put("userId", userId).put("idempotencyKey", idempotencyKey);
  }

  public static AppendRequest fromJson(JsonObject json) {
    return new AppendRequest(json.getString("sessionId"), json.getString("eventType"), json.getString("payload"),
        json.getString("userId"), json.getString("idempotencyKey"));
  }
}
