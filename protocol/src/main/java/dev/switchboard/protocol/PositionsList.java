package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The answer of {@link Addresses#POSITIONS_QUERY}: one user's positions, one entry per session. */
public record PositionsList(List<SessionPositions> sessions) {

  public PositionsList {
    sessions = List.copyOf(sessions);
  }

  /** The entry of {@code sessionId}, or null when the list has none. */
  public SessionPositions of(String sessionId) {
    for (SessionPositions positions : sessions) {
      if (positions.sessionId().equals(sessionId)) {
        return positions;
      }
    }
    return null;
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray(new ArrayList<>(sessions.size()));
    sessions.forEach(s -> array.add(s.toJson()));
    return new JsonObject().put("sessions", array);
  }

  public static PositionsList fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("sessions");
    List<SessionPositions> sessions = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      sessions.add(SessionPositions.fromJson(array.getJsonObject(i)));
    }
    return new PositionsList(sessions);
  }
}
