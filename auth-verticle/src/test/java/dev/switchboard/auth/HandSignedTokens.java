package dev.switchboard.auth;

import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Builds JWTs byte by byte, independently of the code under test, so tests can make exactly the bad tokens they need
 * (expired, wrong key, {@code alg: none}, unknown algorithm).
 */
final class HandSignedTokens {

  static final String SECRET = "test-secret-of-at-least-thirty-two-bytes!";

  private HandSignedTokens() {
  }

  static String hs256(String secret, JsonObject claims) {
    return signed("HS256", "HmacSHA256", secret, claims);
  }

  /** Signed with {@code macAlgorithm} under a header that names {@code alg}. */
  static String signed(String alg, String macAlgorithm, String secret, JsonObject claims) {
    String signingInput = encode(new JsonObject().put("alg", alg).put("typ", "JWT")) + "." + encode(claims);
    try {
      Mac mac = Mac.getInstance(macAlgorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macAlgorithm));
      byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsecured JWT: header {@code {"alg":"none"}} and an empty signature. */
  static String unsigned(JsonObject claims) {
    return encode(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + encode(claims) + ".";
  }

  static String encode(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
