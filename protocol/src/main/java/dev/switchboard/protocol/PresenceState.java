package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The users present in a session, each once however many connections they have: {@code count} of them in all, and
 * one page of the list (see {@link PresenceQuery}).
 *
 * @param nextCursor where the next page starts, or {@code null} when this page is the last
 */
public record PresenceState(String sessionId, List<PresenceUser> users, int count, String nextCursor) {

  public PresenceState {
    users = List.copyOf(users);
  }

  /** The whole list in one page. */
  public PresenceState(String sessionId, List<PresenceUser> users) {
    this(sessionId, users, users.size(), null);
  }

  public JsonArray usersJson() {
    return PresenceUser.toJson(users);
  }

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("users", usersJson()).put("count", count)
        .put("nextCursor", nextCursor);
  }

  public static PresenceState fromJson(JsonObject json) {
    return new PresenceState(json.getString("sessionId"), PresenceUser.fromJson(json.getJsonArray("users")),
        json.getInteger("count"), json.getString("nextCursor"));
  }
}
