package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * A persisted event: its session, its gapless sequence number (the eventId), and what a subscriber receives.
 *
 * @param payload the payload as JSON text, validated at the edge; carried verbatim so no hop re-parses it
 * @param timestamp milliseconds since the epoch, assigned by the store
 * @param userId the publishing user, or {@code null} for a server API publish
 */
public record StoredEvent(String sessionId, long seq, String eventType, long timestamp, String userId,
                          String payload) {

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("seq", seq).put("eventType", eventType)
        .put("timestamp", timestamp).put("userId", userId).put("payload", payload);
  }

  public static StoredEvent fromJson(JsonObject json) {
    return new StoredEvent(json.getString("sessionId"), json.getLong("seq"), json.getString("eventType"),
        json.getLong("timestamp"), json.getString("userId"), json.getString("payload"));
  }
}
