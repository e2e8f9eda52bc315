package dev.switchboard.auth;

import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/**
 * Builds JWTs byte by byte, independently of the code under test, so tests can make exactly the bad tokens they need
 * (expired, wrong key, {@code alg: none}, unknown algorithm, a header naming another algorithm than the key's).
 */
final class HandSignedTokens {

  static final String SECRET = "test-secret-of-at-least-thirty-two-bytes!";

  /** JCA names of the JWS algorithms; the P1363 format is the JWS one, r and s side by side (RFC 7518 3.4). */
  private static final Map<String, String> SIGNATURES = Map.of(
      "RS256", "SHA256withRSA", "RS384", "SHA384withRSA", "RS512", "SHA512withRSA",
      "ES256", "SHA256withECDSAinP1363Format", "ES384", "SHA384withECDSAinP1363Format",
      "ES512", "SHA512withECDSAinP1363Format");

  private HandSignedTokens() {
  }

  static String hs256(String secret, JsonObject claims) {
    return signed("HS256", "HmacSHA256", secret, claims);
  }

  /** Signed with {@code macAlgorithm} under a header that names {@code alg}. */
  static String signed(String alg, String macAlgorithm, String secret, JsonObject claims) {
    return signed(new JsonObject().put("alg", alg).put("typ", "JWT"), macAlgorithm, secret, claims);
  }

  /** Signed with {@code macAlgorithm} under exactly {@code header}. */
  static String signed(JsonObject header, String macAlgorithm, String secret, JsonObject claims) {
    String signingInput = encode(header) + "." + encode(claims);
    try {
      Mac mac = Mac.getInstance(macAlgorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macAlgorithm));
      byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Signed with {@code key} by the JCA signature of {@code signatureAlg} under a header that names {@code alg} and,
   * when not {@code null}, {@code kid}.
   */
  static String signed(String alg, String signatureAlg, PrivateKey key, String kid, JsonObject claims) {
    JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT");
    if (kid != null) {
      header.put("kid", kid);
    }
    String signingInput = encode(header) + "." + encode(claims);
    try {
      Signature signature = Signature.getInstance(SIGNATURES.get(signatureAlg));
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signed with {@code key} by {@code alg}, which the header names, with {@code kid} when not {@code null}. */
  static String signed(String alg, PrivateKey key, String kid, JsonObject claims) {
    return signed(alg, alg, key, kid, claims);
  }

  /** An unsecured JWT: header {@code {"alg":"none"}} and an empty signature. */
  static String unsigned(JsonObject claims) {
    return encode(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + encode(claims) + ".";
  }

  static String encode(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
