package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/** A user's first connection joined or last connection left a session; published to every edge. */
public record PresenceChange(String sessionId, PresenceAction action, PresenceUser user) {

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("action", action.wire()).put("user", user.toJson());
  }

  public static PresenceChange fromJson(JsonObject json) {
    return new PresenceChange(json.getString("sessionId"), PresenceAction.fromWire(json.getString("action")),
        PresenceUser.fromJson(json.getJsonObject("user")));
  }
}
