package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Asks auth whether a user may spend {@code cost} tokens of their publish budget ({@link Addresses#AUTH_RATE}): the
 * global one ({@code SB_PUBLISH_RATE}), or, when {@code namespace} is set, the user's own bucket in that namespace,
 * which holds {@code burst} tokens and regains {@code perMinute} a minute (the namespace's {@code publishRate}).
 *
 * @param namespace null for the global budget
 * @param perMinute the namespace's rate (0 with no namespace)
 * @param burst     the namespace's burst (0 with no namespace)
 */
public record RateRequest(String userId, int cost, String namespace, int perMinute, int burst) {

  /** A charge of the global budget. */
  public RateRequest(String userId, int cost) {
    this(userId, cost, null, 0, 0);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("userId", userId).put("cost", cost);
    if (namespace != null) {
      json.put("namespace", namespace).put("perMinute", perMinute).put("burst", burst);
    }
    return json;
  }

  public static RateRequest fromJson(JsonObject json) {
    return new RateRequest(json.getString("userId"), json.getInteger("cost"), json.getString("namespace"),
        json.getInteger("perMinute", 0), json.getInteger("burst", 0));
  }
}
