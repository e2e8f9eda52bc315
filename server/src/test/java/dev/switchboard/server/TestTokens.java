package dev.switchboard.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Signs test JWTs by hand, so tests can make exactly the bad tokens they need (expired, wrong key, alg none). */
final class TestTokens {

  static final String SECRET = "test-secret-of-at-least-thirty-two-bytes!";

  private TestTokens() {
  }

  static JsonObject claims(String sub, List<String> sessions, List<String> publish, long ttlSec) {
    return new JsonObject().put("sub", sub).put("name", "Name of " + sub).put("actorType", "participant")
        .put("sessions", new JsonArray(sessions)).put("publish", new JsonArray(publish))
        .put("exp", System.currentTimeMillis() / 1000 + ttlSec);
  }

  static String user(String sub, List<String> sessions, List<String> publish) {
    return hs256(SECRET, claims(sub, sessions, publish, 3600));
  }

  static String hs256(String secret, JsonObject claims) {
    String signingInput = encode(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + encode(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String unsigned(JsonObject claims) {
    return encode(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + encode(claims) + ".";
  }

  private static String encode(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
