package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * An operator's order, published to every edge loop of the cluster ({@link Addresses#CONTROL}; docs/PROTOCOL.md,
 * Control API). Each loop applies it to the connections it holds.
 *
 * @param userId whose connections or subscriptions the order ends ({@link Action#DISCONNECT},
 *               {@link Action#UNSUBSCRIBE})
 * @param tokenId the revoked token's {@code jti} ({@link Action#REVOKED})
 * @param sessionId the session a user is unsubscribed from ({@link Action#UNSUBSCRIBE})
 * @param reconnect whether a disconnected client may come back on its own ({@link Action#DISCONNECT})
 * @param reason the operator's words for the user, or {@code null}
 */
public record ControlOrder(Action action, String userId, String tokenId, String sessionId, boolean reconnect,
                           String reason) {

  /** What the order does. */
  public enum Action { DISCONNECT, REVOKED, UNSUBSCRIBE }

  public static ControlOrder disconnect(String userId, boolean reconnect, String reason) {
    return new ControlOrder(Action.DISCONNECT, userId, null, null, reconnect, reason);
  }

  public static ControlOrder revoked(String tokenId) {
    return new ControlOrder(Action.REVOKED, null, tokenId, null, false, null);
  }

  public static ControlOrder unsubscribe(String userId, String sessionId) {
    return new ControlOrder(Action.UNSUBSCRIBE, userId, null, sessionId, false, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("action", action.name()).put("userId", userId).put("tokenId", tokenId)
        .put("sessionId", sessionId).put("reconnect", reconnect).put("reason", reason);
  }

  public static ControlOrder fromJson(JsonObject json) {
    return new ControlOrder(Action.valueOf(json.getString("action")), json.getString("userId"),
        json.getString("tokenId"), json.getString("sessionId"), json.getBoolean("reconnect", false),
        json.getString("reason"));
  }
}
