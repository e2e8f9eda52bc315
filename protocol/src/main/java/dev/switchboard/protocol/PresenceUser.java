package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** A user as presence shows them: {@code {"userId","name","actorType"}} on the wire. */
public record PresenceUser(String userId, String name, String actorType) {

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("name", name).put("actorType", actorType);
  }

  public static PresenceUser fromJson(JsonObject json) {
    return new PresenceUser(json.getString("userId"), json.getString("name"), json.getString("actorType"));
  }

  /** A list of users as a JSON array, in order. */
  public static JsonArray toJson(List<PresenceUser> users) {
    JsonArray array = new JsonArray(new ArrayList<>(users.size()));
    users.forEach(user -> array.add(user.toJson()));
    return array;
  }

  public static List<PresenceUser> fromJson(JsonArray array) {
    List<PresenceUser> users = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      users.add(fromJson(array.getJsonObject(i)));
    }
    return users;
  }
}
