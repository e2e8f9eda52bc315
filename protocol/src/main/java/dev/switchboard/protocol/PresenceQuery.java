package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/** Asks presence who is in a session ({@link Addresses#PRESENCE_QUERY}); answered with {@link PresenceState}. */
public record PresenceQuery(String sessionId) {

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId);
  }

  public static PresenceQuery fromJson(JsonObject json) {
    return new PresenceQuery(json.getString("sessionId"));
  }
}
