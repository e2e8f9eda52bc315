package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * One user's positions in one session (docs/PROTOCOL.md, Read positions), with the session's head: the answer of
 * {@link Addresses#POSITIONS_READ} and the elements of {@link PositionsList}.
 *
 * @param head      the session's last eventId (0 for a session without events)
 * @param delivered the highest eventId the server has sent to any of the user's connections (0: none yet)
 * @param read      the eventId the user has read up to, or null when they never set it
 */
public record SessionPositions(String sessionId, long head, long delivered, Long read) {

  /** The read position with "never set" as 0, as clients see it. */
  public long readOrZero() {
    return read == null ? 0 : read;
  }

  /** How many events follow the read position: {@code head - read}, never negative. */
  public long unread() {
    return Math.max(0, head - readOrZero());
  }

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("head", head).put("delivered", delivered)
        .put("read", read);
  }

  public static SessionPositions fromJson(JsonObject json) {
    return new SessionPositions(json.getString("sessionId"), json.getLong("head"), json.getLong("delivered"),
        json.getLong("read"));
  }
}
