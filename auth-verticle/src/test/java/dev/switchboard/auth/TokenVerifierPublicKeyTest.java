package dev.switchboard.auth;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;

import static dev.switchboard.auth.HandSignedTokens.SECRET;
import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link TokenVerifier} with RS256 and ES256 public keys from {@code SB_JWT_PUBLIC_KEY_FILE}. */
@ExtendWith(VertxExtension.class)
class TokenVerifierPublicKeyTest {

  private static final long NOW_MS = 1_800_000_000_000L;
  private static final long NOW_SEC = NOW_MS / 1000;
  private static final String ISSUER = "https://issuer.example";
  private static final String AUDIENCE = "switchboard";
  private static final PrivateKey RSA = TestKeys.RSA.getPrivate();
  private static final PrivateKey EC = TestKeys.EC.getPrivate();

  private Vertx vertx;
  @TempDir
  private Path dir;
  private String rsaPem;
  private TokenVerifier verifier;

  @BeforeEach
  void create(Vertx vertx) {
    this.vertx = vertx;
    rsaPem = TestKeys.pem(TestKeys.RSA.getPublic());
    verifier = verifier(rsaPem + TestKeys.pem(TestKeys.EC.getPublic()), null);
  }

  @Test
  void verifiesRs256TokenToExactPrincipal() {
    JsonObject claims = claims("ada").put("name", "Ada").put("sessions", new JsonArray().add("poll-*"))
        .put("publish", "poll-1");

    Principal principal = result(verifier.verify(HandSignedTokens.signed("RS256", RSA, null, claims)));

    assertEquals(new Principal("ada", "Ada", null, List.of("poll-*"), List.of("poll-1"), (NOW_SEC + 600) * 1000),
        principal);
  }

  @Test
  void verifiesEs256Token() {
    Principal principal = result(verifier.verify(HandSignedTokens.signed("ES256", EC, null, claims("bob"))));

    assertEquals("bob", principal.userId());
  }

  @Test
  void acceptsAnyKidForAPemKeyWhichHasNone() {
    result(verifier.verify(HandSignedTokens.signed("RS256", RSA, "whatever-the-issuer-calls-it", claims("ada"))));
  }

  @Test
  void rejectsTokenSignedWithAnotherKey() {
    assertRefused(HandSignedTokens.signed("RS256", TestKeys.OTHER_RSA.getPrivate(), null, claims("ada")),
        "invalid token");
    assertRefused(HandSignedTokens.signed("ES256", TestKeys.OTHER_EC.getPrivate(), null, claims("ada")),
        "invalid token");
  }

  @Test
  void rejectsTamperedClaims() {
    String[] parts = HandSignedTokens.signed("RS256", RSA, null, claims("ada")).split("\\.");

    assertRefused(parts[0] + "." + HandSignedTokens.encode(claims("root").put("sessions", "*")) + "." + parts[2],
        "invalid token");
  }

  @Test
  void rejectsWrongIssuerOrAudience() {
    assertRefused(HandSignedTokens.signed("RS256", RSA, null, claims("ada").put("iss", "https://other.example")),
        "wrong issuer");
    assertRefused(HandSignedTokens.signed("ES256", EC, null, claims("ada").put("aud", "crm")), "wrong audience");
    assertRefused(HandSignedTokens.signed("ES256", EC, null, claims("ada").put("aud", new JsonArray())),
        "wrong audience");
  }

  @Test
  void rejectsExpiredAndNotYetValidTokensBeyondTheLeeway() {
    assertRefused(HandSignedTokens.signed("RS256", RSA, null, claims("ada").put("exp", NOW_SEC - 30)),
        "token expired");
    assertRefused(HandSignedTokens.signed("ES256", EC, null, claims("ada").put("nbf", NOW_SEC + 31)),
        "token not yet valid");
    result(verifier.verify(HandSignedTokens.signed("RS256", RSA, null, claims("ada").put("exp", NOW_SEC - 29))));
    result(verifier.verify(HandSignedTokens.signed("ES256", EC, null, claims("ada").put("nbf", NOW_SEC + 30))));
  }

  @Test
  void rejectsAlgNone() {
    assertRefused(HandSignedTokens.unsigned(claims("ada")), "unsupported algorithm");
    String[] parts = HandSignedTokens.signed("RS256", RSA, null, claims("ada")).split("\\.");
    assertRefused(HandSignedTokens.encode(new JsonObject().put("alg", "none")) + "." + parts[1] + "." + parts[2],
        "unsupported algorithm");
  }

  @Test
  void rejectsHsTokenMadeWithThePublicKeyAsSecret() {
    // The classic confusion attack: the public key is public, so an attacker can MAC with its PEM text or bytes.
    assertRefused(HandSignedTokens.signed("HS256", "HmacSHA256", rsaPem, claims("ada")), "unsupported algorithm");

    verifier = verifier(rsaPem, SECRET);
    assertRefused(HandSignedTokens.signed("HS256", "HmacSHA256", rsaPem, claims("ada")), "invalid token");
    result(verifier.verify(HandSignedTokens.hs256(SECRET, claims("ada"))));
    result(verifier.verify(HandSignedTokens.signed("RS256", RSA, null, claims("ada"))));
  }

  @Test
  void verifiesRsAndEsTokensOnlyWithTheKeyTypeTheyName() {
    assertRefused(HandSignedTokens.signed("ES256", "RS256", RSA, null, claims("ada")), "invalid token");
    assertRefused(HandSignedTokens.signed("RS256", "ES256", EC, null, claims("ada")), "invalid token");

    verifier = verifier(rsaPem, null);
    assertRefused(HandSignedTokens.signed("ES256", EC, null, claims("ada")), "unsupported algorithm");
    assertRefused(HandSignedTokens.signed("ES256", "RS256", RSA, null, claims("ada")), "unsupported algorithm");
    // An RSA key from a PEM file is for RS256 alone.
    assertRefused(HandSignedTokens.signed("RS384", RSA, null, claims("ada")), "unsupported algorithm");
  }

  private TokenVerifier verifier(String pem, String secret) {
    Path file = TestKeys.write(dir, "issuer.pem", pem);
    AuthConfig config = AuthConfig.from(new JsonObject().put("SB_JWT_PUBLIC_KEY_FILE", file.toString())
        .put("SB_JWT_SECRET", secret));
    return new TokenVerifier(JwtKeyRing.fixed(JwtKeys.from(vertx, config)), ISSUER, AUDIENCE, config.leeway(),
        () -> NOW_MS);
  }

  private static JsonObject claims(String sub) {
    return new JsonObject().put("sub", sub).put("iss", ISSUER).put("aud", AUDIENCE).put("iat", NOW_SEC - 60)
        .put("exp", NOW_SEC + 600);
  }

  private void assertRefused(String token, String message) {
    Throwable refusal = failure(verifier.verify(token));
    assertEquals(ErrorCode.UNAUTHORIZED, ErrorCode.of(refusal));
    assertEquals(message, refusal.getMessage());
  }
}
