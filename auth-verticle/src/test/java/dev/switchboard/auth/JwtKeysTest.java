package dev.switchboard.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class JwtKeysTest {

  @Test
  void theSecretVerifiesEveryHsAlgorithmAndSignsDevTokens(Vertx vertx) {
    JwtKeys keys = JwtKeys.from(vertx, AuthConfig.from(new JsonObject().put("SB_JWT_SECRET", HandSignedTokens.SECRET)));

    assertEquals(Set.of("HS256", "HS384", "HS512"), keys.algorithms());
    assertEquals("HS256", keys.signingAlgorithm());
    assertFalse(keys.toString().contains(HandSignedTokens.SECRET), keys.toString());
  }

  @Test
  void aPemFileGivesEachKeyTheAlgorithmOfItsType(Vertx vertx, @TempDir Path dir) {
    Path pem = TestKeys.write(dir, "keys.pem", "issuer keys, rotated 2024-06\n"
        + TestKeys.pem(TestKeys.RSA.getPublic()) + "\n" + TestKeys.pem(TestKeys.EC.getPublic())
        + TestKeys.pem(TestKeys.ec("secp384r1").getPublic()));

    JwtKeys keys = JwtKeys.from(vertx, AuthConfig.from(new JsonObject().put("SB_JWT_PUBLIC_KEY_FILE", pem.toString())));

    assertEquals(Set.of("RS256", "ES256", "ES384"), keys.algorithms());
    assertNull(keys.signingAlgorithm(), "public keys cannot sign dev tokens");
    assertTrue(keys.knows("RS256", "any-kid"), "a key without kid matches whatever kid a token names");
  }

  @Test
  void refusesPemFilesThatHoldNoUsablePublicKey(Vertx vertx, @TempDir Path dir) throws Exception {
    String spki = Base64.getMimeEncoder().encodeToString(TestKeys.RSA.getPublic().getEncoded());
    String pkcs8 = Base64.getMimeEncoder().encodeToString(TestKeys.RSA.getPrivate().getEncoded());
    assertPemRefused(vertx, dir, "-----BEGIN PRIVATE KEY-----\n" + pkcs8 + "\n-----END PRIVATE KEY-----\n",
        "holds a private key");
    assertPemRefused(vertx, dir, "-----BEGIN RSA PUBLIC KEY-----\n" + spki + "\n-----END RSA PUBLIC KEY-----\n",
        "expected BEGIN PUBLIC KEY");
    assertPemRefused(vertx, dir, "-----BEGIN CERTIFICATE-----\n" + spki + "\n-----END CERTIFICATE-----\n",
        "openssl x509");
    assertPemRefused(vertx, dir, TestKeys.pem(TestKeys.rsa(1024).getPublic()), "at least 2048");
    assertPemRefused(vertx, dir, TestKeys.pem(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()),
        "not an RSA or EC public key");
    assertPemRefused(vertx, dir, "not a key at all", "no BEGIN PUBLIC KEY");
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> JwtKeys.from(vertx,
        AuthConfig.from(new JsonObject().put("SB_JWT_PUBLIC_KEY_FILE", dir.resolve("absent.pem").toString()))));
    assertTrue(missing.getMessage().startsWith("SB_JWT_PUBLIC_KEY_FILE "), missing.getMessage());
  }

  @Test
  void takesTheRsaAndEcSigningKeysOfAJwks(Vertx vertx) {
    JwtKeys keys = hsOnly(vertx).withJwks(TestKeys.jwks(
        TestKeys.jwk(TestKeys.RSA.getPublic(), "rsa-1"),
        TestKeys.jwk(TestKeys.OTHER_RSA.getPublic(), "rsa-2").put("alg", "RS512"),
        TestKeys.jwk(TestKeys.EC.getPublic(), "ec-1")));

    assertEquals(Set.of("HS256", "HS384", "HS512", "RS256", "RS512", "ES256"), keys.algorithms());
    assertTrue(keys.knows("RS256", "rsa-1"));
    assertTrue(keys.knows("RS256", null), "a token without kid is tried against every key of its algorithm");
    assertFalse(keys.knows("RS256", "rsa-2"), "rsa-2 is for RS512 only");
    assertFalse(keys.knows("ES256", "rsa-1"));
  }

  @Test
  void skipsJwksEntriesThatAreNotPublicSigningKeysOfTheirAlgorithm(Vertx vertx) {
    JwtKeys keys = hsOnly(vertx).withJwks(TestKeys.jwks(
        TestKeys.jwk(TestKeys.RSA.getPublic(), "good"),
        new JsonObject().put("kty", "oct").put("kid", "symmetric").put("k", "c2VjcmV0"),
        TestKeys.jwk(TestKeys.RSA.getPublic(), "for-encryption").put("use", "enc"),
        TestKeys.jwk(TestKeys.RSA.getPublic(), "hs-named").put("alg", "HS256"),
        TestKeys.jwk(TestKeys.EC.getPublic(), "wrong-curve-alg").put("alg", "ES384"),
        TestKeys.jwk(TestKeys.rsa(1024).getPublic(), "short"),
        new JsonObject().put("kty", "RSA").put("kid", "no-material"),
        TestKeys.jwk(TestKeys.OTHER_RSA.getPublic(), "good"),
        TestKeys.jwk(TestKeys.RSA.getPublic(), "numeric-kid").put("kid", 7),
        "not an object"));

    assertEquals("JwtKeys[HS256, HS384, HS512, RS256 kid=good]", keys.toString());
  }

  @Test
  void neverTakesPrivateMembersOfAJwksEntry(Vertx vertx) {
    // A symmetric key under the kid of an RSA key must not become an HS key: algorithm confusion through the JWKS.
    JsonObject rsaWithSecret = TestKeys.jwk(TestKeys.RSA.getPublic(), "rsa-1").put("k", "c2VjcmV0").put("d", "AQAB");

    JwtKeys keys = JwtKeys.from(vertx, AuthConfig.from(new JsonObject().put("SB_JWKS", "/unused.json")))
        .withJwks(TestKeys.jwks(rsaWithSecret));

    assertEquals(Set.of("RS256"), keys.algorithms());
    assertNull(keys.signingAlgorithm());
  }

  @Test
  void refusesAJwksWithoutAUsableKey(Vertx vertx) {
    JwtKeys keys = hsOnly(vertx);

    assertEquals("the JWKS has no usable RSA or EC signing key", assertThrows(IllegalArgumentException.class,
        () -> keys.withJwks(TestKeys.jwks(new JsonObject().put("kty", "oct").put("k", "c2VjcmV0")))).getMessage());
    assertEquals("not a JWKS: no \"keys\" array", assertThrows(IllegalArgumentException.class,
        () -> keys.withJwks(TestKeys.jwk(TestKeys.RSA.getPublic(), "bare-key"))).getMessage());
  }

  private static JwtKeys hsOnly(Vertx vertx) {
    return JwtKeys.from(vertx, AuthConfig.from(new JsonObject().put("SB_JWT_SECRET", HandSignedTokens.SECRET)));
  }

  private static void assertPemRefused(Vertx vertx, Path dir, String content, String reason) {
    Path pem = TestKeys.write(dir, "refused.pem", content);
    AuthConfig config = AuthConfig.from(new JsonObject().put("SB_JWT_PUBLIC_KEY_FILE", pem.toString()));

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> JwtKeys.from(vertx, config));

    assertTrue(refused.getMessage().startsWith("SB_JWT_PUBLIC_KEY_FILE " + pem + ": "), refused.getMessage());
    assertTrue(refused.getMessage().contains(reason), refused.getMessage());
  }
}
