package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * An edge's delivered positions since its previous update ({@link Addresses#POSITIONS_DELIVERED}): for each (user,
 * session), the highest eventId it sent to one of the user's connections. Persistence moves each stored position
 * forward to it (never back), all in one write.
 */
public record DeliveredUpdate(List<Position> positions) {

  public DeliveredUpdate {
    positions = List.copyOf(positions);
  }

  /** One (user, session) and the highest eventId sent there. */
  public record Position(String userId, String sessionId, long eventId) {
  }

  public JsonObject toJson() {
    // Arrays of [user, session, eventId]: an update may name thousands of pairs.
    JsonArray array = new JsonArray(new ArrayList<>(positions.size()));
    positions.forEach(p -> array.add(new JsonArray().add(p.userId()).add(p.sessionId()).add(p.eventId())));
    return new JsonObject().put("positions", array);
  }

  public static DeliveredUpdate fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("positions");
    List<Position> positions = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonArray p = array.getJsonArray(i);
      positions.add(new Position(p.getString(0), p.getString(1), p.getLong(2)));
    }
    return new DeliveredUpdate(positions);
  }
}
