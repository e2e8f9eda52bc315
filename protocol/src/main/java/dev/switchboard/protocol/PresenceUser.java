package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/** A user as presence shows them: {@code {"userId","name","actorType"}} on the wire. */
public record PresenceUser(String userId, String name, String actorType) {

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("name", name).put("actorType", actorType);
  }

  public static PresenceUser fromJson(JsonObject json) {
    return new PresenceUser(json.getString("userId"), json.getString("name"), json.getString("actorType"));
  }
}
