package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * One connection joining or leaving a session, sent by an edge to presence ({@link Addresses#PRESENCE_UPDATE}).
 * Presence turns a user's first join into a {@code join} and their last leave into a {@code leave}.
 */
public record PresenceUpdate(PresenceAction action, String sessionId, String nodeId, String connectionId,
                             PresenceUser user) {

  public JsonObject toJson() {
    return new JsonObject().put("action", action.wire()).put("sessionId", sessionId).put("nodeId", nodeId)
        .put("connectionId", connectionId).put("user", user.toJson());
  }

  public static PresenceUpdate fromJson(JsonObject json) {
    return new PresenceUpdate(PresenceAction.fromWire(json.getString("action")), json.getString("sessionId"),
        json.getString("nodeId"), json.getString("connectionId"), PresenceUser.fromJson(json.getJsonObject("user")));
  }
}
