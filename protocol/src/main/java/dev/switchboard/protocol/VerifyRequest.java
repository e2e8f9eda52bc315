package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Asks auth to verify a JWT ({@link Addresses#AUTH_VERIFY}); answered with a {@link Principal} or an
 * {@link ErrorCode#UNAUTHORIZED} failure. Its {@code toString} never shows the token.
 */
public record VerifyRequest(String token) {

  public JsonObject toJson() {
    return new JsonObject().put("token", token);
  }

  public static VerifyRequest fromJson(JsonObject json) {
    return new VerifyRequest(json.getString("token"));
  }

  @Override
  public String toString() {
    return "VerifyRequest[token=<redacted>]";
  }
}
