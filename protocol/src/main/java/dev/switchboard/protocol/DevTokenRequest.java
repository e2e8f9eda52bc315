package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Asks auth to mint a development token ({@link Addresses#AUTH_DEV_TOKEN}); only a dev-mode node answers.
 * Body of {@code POST /dev/token}: {@code {"sub","sessions","publish","name","actorType","ttlSec"}}.
 */
public record DevTokenRequest(String sub, List<String> sessions, List<String> publish, String name,
                              String actorType, long ttlSec) {

  public DevTokenRequest {
    sessions = List.copyOf(sessions);
    publish = List.copyOf(publish);
  }

  public JsonObject toJson() {
    return new JsonObject().put("sub", sub).put("sessions", new JsonArray(sessions))
        .put("publish", new JsonArray(publish)).put("name", name).put("actorType", actorType).put("ttlSec", ttlSec);
  }

  public static DevTokenRequest fromJson(JsonObject json) {
    return new DevTokenRequest(json.getString("sub"), StoredEvents.strings(json.getJsonArray("sessions")),
        StoredEvents.strings(json.getJsonArray("publish")), json.getString("name"), json.getString("actorType"),
        json.getLong("ttlSec", 3600L));
  }
}
