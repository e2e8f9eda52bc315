package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The users present in a session, each once however many connections they have: {@code count} of them in all, and
 * one page of the list (see {@link PresenceQuery}); and how many anonymous subscribers there are by actor type, who
 * are never listed nor in {@code count}.
 *
 * @param nextCursor where the next page starts, or {@code null} when this page is the last
 * @param anonymous  anonymous subscribers per actor type ({@link AnonymousCounts})
 */
public record PresenceState(String sessionId, List<PresenceUser> users, int count, String nextCursor,
                            Map<String, Integer> anonymous) {

  public PresenceState {
    users = List.copyOf(users);
    anonymous = AnonymousCounts.copy(anonymous);
  }

  /** A page without anonymous subscribers. */
  public PresenceState(String sessionId, List<PresenceUser> users, int count, String nextCursor) {
    this(sessionId, users, count, nextCursor, Map.of());
  }

  /** The whole list in one page. */
  public PresenceState(String sessionId, List<PresenceUser> users) {
    this(sessionId, users, users.size(), null);
  }

  /** The same counts without anyone named: what an anonymous subscriber is told. */
  public PresenceState unnamed() {
    return new PresenceState(sessionId, List.of(), count, null, anonymous);
  }

  public JsonArray usersJson() {
    return PresenceUser.toJson(users);
  }

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("users", usersJson()).put("count", count)
        .put("nextCursor", nextCursor).put("anonymous", AnonymousCounts.toJson(anonymous));
  }

  public static PresenceState fromJson(JsonObject json) {
    return new PresenceState(json.getString("sessionId"), PresenceUser.fromJson(json.getJsonArray("users")),
        json.getInteger("count"), json.getString("nextCursor"),
        AnonymousCounts.fromJson(json.getJsonObject("anonymous")));
  }
}
