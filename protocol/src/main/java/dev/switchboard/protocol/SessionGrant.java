package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/**
 * A verified session token (docs/PROTOCOL.md, Per-session tokens): one user may subscribe to one session, and
 * publish and signal there when {@code publish}, until {@code expiresAt}; the answer of
 * {@link Addresses#AUTH_VERIFY_SESSION}. It adds to what the user's connection token allows, on the connection of
 * that same user only.
 *
 * @param expiresAt the token's {@code exp} in milliseconds since the epoch
 * @param tokenId the token's {@code jti}, or {@code null}
 */
public record SessionGrant(String userId, String sessionId, boolean publish, long expiresAt, String tokenId) {

  /** {@code principal}, allowed this grant's session too (to subscribe, and to publish when the grant says so). */
  public Principal widen(Principal principal) {
    return principal.granting(sessionId, publish);
  }

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("sessionId", sessionId).put("publish", publish)
        .put("expiresAt", expiresAt).put("tokenId", tokenId);
  }

  public static SessionGrant fromJson(JsonObject json) {
    return new SessionGrant(json.getString("userId"), json.getString("sessionId"), json.getBoolean("publish", false),
        json.getLong("expiresAt"), json.getString("tokenId"));
  }
}
