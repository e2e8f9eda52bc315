package dev.switchboard.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node whose only keys are an issuer's JWKS (RS256, by kid), with issuer and audience configured: a good token
 * connects, and every kind of bad token closes the WebSocket with 4001 and is answered 401 on REST.
 */
class PublicKeyAuthEndToEndTest {

  private static final String ISSUER = "https://issuer.example";
  private static final String AUDIENCE = "switchboard";
  private static final String KID = "2024-07";
  private static final KeyPair ISSUER_KEY = rsa();
  private static final String publicKeyPem = "-----BEGIN PUBLIC KEY-----\n"
      + Base64.getMimeEncoder().encodeToString(ISSUER_KEY.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  @RegisterExtension
  static final TestNode node = TestNode.perClass(issuerSettings());

  /** A blank secret unsets the test node's default one: the issuer's JWKS (written to a file) is the only key. */
  private static Map<String, String> issuerSettings() {
    RSAPublicKey key = (RSAPublicKey) ISSUER_KEY.getPublic();
    JsonObject jwk = new JsonObject().put("kty", "RSA").put("kid", KID).put("use", "sig")
        .put("n", unsigned(key.getModulus())).put("e", unsigned(key.getPublicExponent()));
    try {
      Path jwks = Files.writeString(Files.createTempDirectory("switchboard-jwks").resolve("jwks.json"),
          new JsonObject().put("keys", new JsonArray().add(jwk)).encode());
      return Map.of("SB_JWT_SECRET", "", "SB_JWKS", jwks.toString(), "SB_JWT_ISSUER", ISSUER,
          "SB_JWT_AUDIENCE", AUDIENCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aTokenSignedByTheIssuersKeyConnects() {
    try (WsClient client = node.connect("sessionId=pk-good", rs256(ISSUER_KEY.getPrivate(), KID, claims(600)))) {
      assertEquals("ada", client.next("connected").getString("userId"));
    }
  }

  @Test
  void everyKindOfBadTokenClosesWith4001AndIsAnswered401() {
    long now = System.currentTimeMillis() / 1000;
    Map<String, String> bad = Map.of(
        "wrong key", rs256(rsa().getPrivate(), KID, claims(600)),
        "wrong issuer", rs256(ISSUER_KEY.getPrivate(), KID, claims(600).put("iss", "https://other.example")),
        "wrong audience", rs256(ISSUER_KEY.getPrivate(), KID, claims(600).put("aud", "crm")),
        "expired", rs256(ISSUER_KEY.getPrivate(), KID, claims(-120)),
        "not yet valid", rs256(ISSUER_KEY.getPrivate(), KID, claims(600).put("nbf", now + 300)),
        "alg none", TestTokens.unsigned(claims(600)),
        "HS256 with the public key as secret", TestTokens.hs256(publicKeyPem, claims(600)),
        "unknown kid", rs256(ISSUER_KEY.getPrivate(), "2023-01", claims(600)));
    bad.forEach((kind, token) -> {
      try (WsClient client = node.connect("sessionId=pk-bad&access_token=" + token)) {
        assertEquals(4001, client.awaitClose(), kind);
      }
      assertEquals(401, node.get("/sessions/pk-bad/events", token).statusCode(), kind);
    });
  }

  @Test
  void offersNoDevTokensWithPublicKeysAlone() {
    assertEquals(404, node.post("/dev/token", null, new JsonObject().put("sub", "ada")).statusCode());
  }

  private static JsonObject claims(long ttlSec) {
    return TestTokens.claims("ada", List.of("*"), List.of("*"), ttlSec).put("iss", ISSUER).put("aud", AUDIENCE);
  }

  private static String rs256(PrivateKey key, String kid, JsonObject claims) {
    String signingInput = encode(new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", kid)) + "."
        + encode(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
