package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The users present in a session, each once however many connections they have. */
public record PresenceState(String sessionId, List<PresenceUser> users) {

  public PresenceState {
    users = List.copyOf(users);
  }

  public JsonArray usersJson() {
    JsonArray array = new JsonArray(new ArrayList<>(users.size()));
    users.forEach(u -> array.add(u.toJson()));
    return array;
  }

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("users", usersJson());
  }

  public static PresenceState fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("users");
    List<PresenceUser> users = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      users.add(PresenceUser.fromJson(array.getJsonObject(i)));
    }
    return new PresenceState(json.getString("sessionId"), users);
  }
}
