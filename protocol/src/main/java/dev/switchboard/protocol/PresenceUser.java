package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A user as presence shows them: {@code {"userId","name","actorType"}} on the wire. Presence also holds one entry per
 * anonymous subscriber's connection ({@link #anonymous}), counted by actor type and never shown.
 */
public record PresenceUser(String userId, String name, String actorType) {

  /**
   * What the user id of an anonymous subscriber's entry starts with: NUL, which sorts before every shown user id
   * (the stores page users by id and skip the anonymous ones as one range), and which no token's {@code sub} is
   * expected to start with. Then the actor type and another NUL, so a store can count by type from the id alone.
   */
  public static final String ANONYMOUS_PREFIX = "\u0000";

  /**
   * The entry of one anonymous subscriber's connection: its id names no one (the node and connection make it unique
   * across the cluster), it has no name, and its actor type is the one the subscriber declared.
   */
  public static PresenceUser anonymous(String actorType, String nodeId, String connectionId) {
    return new PresenceUser(ANONYMOUS_PREFIX + actorType + ANONYMOUS_PREFIX + nodeId.length() + ":" + nodeId + "/"
        + connectionId, null, actorType);
  }

  /** Whether this is an anonymous subscriber's entry, counted but never shown. */
  public boolean isAnonymous() {
    return anonymousType(userId) != null;
  }

  /** The actor type an anonymous entry's id carries, or null when {@code userId} is not an anonymous entry's. */
  public static String anonymousType(String userId) {
    if (userId == null || !userId.startsWith(ANONYMOUS_PREFIX)) {
      return null;
    }
    int end = userId.indexOf(ANONYMOUS_PREFIX, 1);
    return end < 0 ? null : userId.substring(1, end);
  }

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
