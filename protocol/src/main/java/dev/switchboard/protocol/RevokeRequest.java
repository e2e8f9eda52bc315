package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * An operator revokes a token by its {@code jti} ({@link Addresses#AUTH_REVOKE}): it is refused on every node until
 * {@code expiresAt}, when it would have expired anyway.
 *
 * @param expiresAt milliseconds since the epoch
 */
public record RevokeRequest(String tokenId, long expiresAt) {

  public JsonObject toJson() {
    return new JsonObject().put("tokenId", tokenId).put("expiresAt", expiresAt);
  }

  public static RevokeRequest fromJson(JsonObject json) {
    return new RevokeRequest(json.getString("tokenId"), json.getLong("expiresAt"));
  }
}
