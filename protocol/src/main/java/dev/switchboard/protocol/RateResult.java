package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/** The answer to a {@link RateRequest}: allowed, or how long to wait before the next try. */
public record RateResult(boolean allowed, long retryAfterMs) {

  public static final RateResult ALLOWED = new RateResult(true, 0);

  public JsonObject toJson() {
    return new JsonObject().put("allowed", allowed).put("retryAfterMs", retryAfterMs);
  }

  public static RateResult fromJson(JsonObject json) {
    return new RateResult(json.getBoolean("allowed"), json.getLong("retryAfterMs"));
  }
}
