package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * An ephemeral message relayed to a session's other subscribers on every edge ({@link Addresses#SIGNALS}); never
 * stored, at most once.
 *
 * @param payload JSON text
 * @param originConnectionId the sender's connection, which does not receive its own signal
 */
public record Signal(String sessionId, String userId, String eventType, String payload, String originConnectionId) {

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("userId", userId).put("eventType", eventType)
        .put("payload", payload).put("originConnectionId", originConnectionId);
  }

  public static Signal fromJson(JsonObject json) {
    return new Signal(json.getString("sessionId"), json.getString("userId"), json.getString("eventType"),
        json.getString("payload"), json.getString("originConnectionId"));
  }
}
