package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/** Asks auth whether a user may spend {@code cost} tokens of their publish budget ({@link Addresses#AUTH_RATE}). */
public record RateRequest(String userId, int cost) {

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("cost", cost);
  }

  public static RateRequest fromJson(JsonObject json) {
    return new RateRequest(json.getString("userId"), json.getInteger("cost"));
  }
}
