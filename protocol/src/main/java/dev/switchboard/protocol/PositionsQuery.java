package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Asks persistence for one user's positions ({@link Addresses#POSITIONS_QUERY}); answered with {@link PositionsList}.
 *
 * @param sessionIds sessions answered whether or not the user has positions there (zeros and the head when not)
 * @param all        also every other session the user has positions in, at most {@link #MAX_SESSIONS} in all
 */
public record PositionsQuery(String userId, List<String> sessionIds, boolean all) {

  /** The most sessions one answer lists. */
  public static final int MAX_SESSIONS = 1000;

  public PositionsQuery {
    sessionIds = List.copyOf(sessionIds);
  }

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("sessionIds", new JsonArray(sessionIds))
        .put("all", all);
  }

  public static PositionsQuery fromJson(JsonObject json) {
    return new PositionsQuery(json.getString("userId"), StoredEvents.strings(json.getJsonArray("sessionIds")),
        json.getBoolean("all"));
  }
}
