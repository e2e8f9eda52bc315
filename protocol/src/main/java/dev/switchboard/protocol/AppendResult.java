package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * The answer to an {@link AppendRequest}: the event's sequence number and timestamp, and whether it was already
 * stored under the same idempotency key (then nothing new was stored).
 */
public record AppendResult(long seq, long timestamp, boolean duplicate) {

  public JsonObject toJson() {
    return new JsonObject().put("seq", seq).put("timestamp", timestamp).put("duplicate", duplicate);
  }

  public static AppendResult fromJson(JsonObject json) {
    return new AppendResult(json.getLong("seq"), json.getLong("timestamp"), json.getBoolean("duplicate"));
  }
}
