package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/** A minted development token. Its {@code toString} never shows the token. */
public record DevTokenResult(String token) {

  public JsonObject toJson() {
    return new JsonObject().put("token", token);
  }

  public static DevTokenResult fromJson(JsonObject json) {
    return new DevTokenResult(json.getString("token"));
  }

  @Override
  public String toString() {
    return "DevTokenResult[token=<redacted>]";
  }
}
