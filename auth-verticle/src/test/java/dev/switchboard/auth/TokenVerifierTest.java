package dev.switchboard.auth;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.SessionGrant;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static dev.switchboard.auth.HandSignedTokens.SECRET;
import static dev.switchboard.auth.HandSignedTokens.hs256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@ExtendWith(VertxExtension.class)
class TokenVerifierTest {

  /** The verifier's clock: a fixed instant, so expiry is exact. */
  private static final long NOW_MS = 1_800_000_000_000L;
  private static final long NOW_SEC = NOW_MS / 1000;
  private static final Duration LEEWAY = Duration.ofSeconds(30);

  private Vertx vertx;
  private TokenVerifier verifier;

  @BeforeEach
  void createVerifier(Vertx vertx) {
    this.vertx = vertx;
    verifier = verifier(null, null);
  }

  @Test
  void verifiesValidTokenToExactPrincipal() {
    JsonObject claims = claims("ada").put("name", "Ada Lovelace").put("actorType", "presenter")
        .put("sessions", new JsonArray().add("poll-*").add("chat-1")).put("publish", new JsonArray().add("poll-1"));

    Principal principal = result(verifier.verify(hs256(SECRET, claims)));

    assertEquals(new Principal("ada", "Ada Lovelace", "presenter", List.of("poll-*", "chat-1"), List.of("poll-1"),
        (NOW_SEC + 600) * 1000), principal);
  }

  @Test
  void readsSessionAndPublishClaimsGivenAsSingleStrings() {
    JsonObject claims = claims("ada").put("sessions", "*").put("publish", "poll-1");

    Principal principal = result(verifier.verify(hs256(SECRET, claims)));

    assertEquals(List.of("*"), principal.sessions());
    assertEquals(List.of("poll-1"), principal.publish());
  }

  @Test
  void missingSessionAndPublishClaimsAllowNothing() {
    Principal principal = result(verifier.verify(hs256(SECRET, claims("ada"))));

    assertEquals(new Principal("ada", null, null, List.of(), List.of(), (NOW_SEC + 600) * 1000), principal);
    assertFalse(principal.canSubscribe("poll-1"));
    assertFalse(principal.canPublish("poll-1"));
  }

  @Test
  void rejectsSessionClaimsOfAnotherShape() {
    assertRefused(hs256(SECRET, claims("ada").put("sessions", new JsonObject().put("poll-1", true))),
        "sessions claim must be a string or an array of strings");
    assertRefused(hs256(SECRET, claims("ada").put("publish", new JsonArray().add("poll-1").add(7))),
        "publish claim must be a string or an array of strings");
  }

  @Test
  void verifiesSessionTokenToItsGrant() {
    JsonObject claims = claims("ada").put("session", "doc:7").put("publish", true).put("jti", "j1");

    assertEquals(new SessionGrant("ada", "doc:7", true, (NOW_SEC + 600) * 1000, "j1"),
        result(verifier.verifySession(hs256(SECRET, claims))));
    assertEquals(new SessionGrant("ada", "doc:7", false, (NOW_SEC + 600) * 1000, null),
        result(verifier.verifySession(hs256(SECRET, claims("ada").put("session", "doc:7")))));
  }

  @Test
  void keepsSessionTokensAndConnectionTokensApart() {
    assertRefused(hs256(SECRET, claims("ada").put("session", "doc:7")),
        "a session token cannot authenticate a connection");
    assertSessionRefused(hs256(SECRET, claims("ada").put("sessions", "doc:7")),
        "a session token needs a session claim naming one session");
    assertSessionRefused(hs256(SECRET, claims("ada").put("session", "doc:*")),
        "a session token needs a session claim naming one session");
    assertSessionRefused(hs256(SECRET, claims("ada").put("session", "doc:7").put("publish", "doc:7")),
        "a session token's publish claim must be a boolean");
    assertSessionRefused(hs256(SECRET, claims("ada").put("session", "doc:7").put("exp", NOW_SEC - 31)),
        "token expired");
    assertSessionRefused(hs256("another-secret-of-at-least-thirty-two-bytes", claims("ada").put("session", "d")),
        "invalid token");
  }

  @Test
  void rejectsTokenExpiredBeyondTheLeeway() {
    assertRefused(hs256(SECRET, claims("ada").put("exp", NOW_SEC - 31)), "token expired");
    assertRefused(hs256(SECRET, claims("ada").put("exp", NOW_SEC - 30)), "token expired");
    // An issuer whose clock runs behind this one's by less than the leeway.
    Principal late = result(verifier.verify(hs256(SECRET, claims("ada").put("exp", NOW_SEC - 29))));
    assertEquals((NOW_SEC - 29) * 1000, late.expiresAt(), "the principal keeps the token's own exp");
  }

  @Test
  void rejectsExpiredTokenAtOnceWithoutLeeway() {
    verifier = new TokenVerifier(JwtKeyRing.fixed(JwtKeys.from(vertx, config(null, null))), null, null,
        Duration.ZERO, () -> NOW_MS);

    assertRefused(hs256(SECRET, claims("ada").put("exp", NOW_SEC)), "token expired");
    assertRefused(hs256(SECRET, claims("ada").put("nbf", NOW_SEC + 1)), "token not yet valid");
    result(verifier.verify(hs256(SECRET, claims("ada").put("exp", NOW_SEC + 1).put("nbf", NOW_SEC))));
  }

  @Test
  void rejectsTokenWithoutExp() {
    JsonObject claims = claims("ada");
    claims.remove("exp");

    assertRefused(hs256(SECRET, claims), "token has no exp");
  }

  @Test
  void rejectsTokenWhoseExpIsNotANumber() {
    Throwable refusal = failure(verifier.verify(hs256(SECRET, claims("ada").put("exp", "tomorrow"))));

    assertEquals(ErrorCode.UNAUTHORIZED, ErrorCode.of(refusal));
  }

  @Test
  void rejectsTokenWithoutSub() {
    JsonObject claims = claims("ada");
    claims.remove("sub");

    assertRefused(hs256(SECRET, claims), "token has no sub");
    assertRefused(hs256(SECRET, claims("ada").put("sub", "")), "token has no sub");
  }

  @Test
  void rejectsTokenSignedWithAnotherSecret() {
    assertRefused(hs256("another-secret-of-at-least-thirty-two-bytes", claims("ada")), "invalid token");
  }

  @Test
  void rejectsTamperedClaims() {
    String[] parts = hs256(SECRET, claims("ada")).split("\\.");
    String forged = parts[0] + "." + HandSignedTokens.encode(claims("root").put("sessions", "*")) + "." + parts[2];

    assertRefused(forged, "invalid token");
  }

  @Test
  void rejectsAlgNone() {
    assertRefused(HandSignedTokens.unsigned(claims("ada")), "unsupported algorithm");
    // The same header with a valid HS256 signature attached must not pass either.
    String[] parts = hs256(SECRET, claims("ada")).split("\\.");
    String noneHeader = HandSignedTokens.encode(new JsonObject().put("alg", "none")) + "." + parts[1] + "." + parts[2];
    assertRefused(noneHeader, "unsupported algorithm");
  }

  @Test
  void acceptsEachHsAlgorithmWithTheSecret() {
    result(verifier.verify(HandSignedTokens.signed("HS384", "HmacSHA384", SECRET, claims("ada"))));
    result(verifier.verify(HandSignedTokens.signed("HS512", "HmacSHA512", SECRET, claims("ada"))));
    // The header's algorithm is the one checked: an HS256 MAC under an HS512 header does not pass.
    assertRefused(HandSignedTokens.signed("HS512", "HmacSHA256", SECRET, claims("ada")), "invalid token");
  }

  @Test
  void rejectsAlgorithmsWithoutAConfiguredKey() {
    assertRefused(HandSignedTokens.signed("RS256", "HmacSHA256", SECRET, claims("ada")), "unsupported algorithm");
    assertRefused(HandSignedTokens.signed("ES256", "HmacSHA256", SECRET, claims("ada")), "unsupported algorithm");
    assertRefused(HandSignedTokens.signed("PS256", "HmacSHA256", SECRET, claims("ada")), "unsupported algorithm");
  }

  @Test
  void acceptsAnyKidWithTheSecretWhichHasNone() {
    JsonObject header = new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", "2024-06");

    result(verifier.verify(HandSignedTokens.signed(header, "HmacSHA256", SECRET, claims("ada"))));
    assertRefused(HandSignedTokens.signed(header.copy().put("kid", 7), "HmacSHA256", SECRET, claims("ada")),
        "invalid token");
  }

  @Test
  void rejectsWhatIsNotAToken() {
    assertRefused("", "no token");
    assertRefused("not-a-jwt", "invalid token");
    assertRefused("a.b.c", "invalid token");
    assertRefused(hs256(SECRET, claims("ada")) + ".extra", "invalid token");
    assertRefused("x".repeat(TokenVerifier.MAX_TOKEN_CHARS + 1), "invalid token");
    assertEquals(ErrorCode.UNAUTHORIZED, ErrorCode.of(failure(verifier.verify(null))));
  }

  @Test
  void rejectsTokenNotYetValidBeyondTheLeeway() {
    assertRefused(hs256(SECRET, claims("ada").put("nbf", NOW_SEC + 31)), "token not yet valid");
    assertRefused(hs256(SECRET, claims("ada").put("nbf", "soon")), "token not yet valid");
    // An issuer whose clock runs ahead of this one's by up to the leeway.
    result(verifier.verify(hs256(SECRET, claims("ada").put("nbf", NOW_SEC + 30))));
  }

  @Test
  void checksIssuerWhenConfigured() {
    verifier = verifier("https://issuer.example", null);

    result(verifier.verify(hs256(SECRET, claims("ada").put("iss", "https://issuer.example"))));
    assertRefused(hs256(SECRET, claims("ada").put("iss", "https://other.example")), "wrong issuer");
    assertRefused(hs256(SECRET, claims("ada")), "wrong issuer");
  }

  @Test
  void checksAudienceWhenConfigured() {
    verifier = verifier(null, "switchboard");

    result(verifier.verify(hs256(SECRET, claims("ada").put("aud", "switchboard"))));
    result(verifier.verify(hs256(SECRET, claims("ada").put("aud", new JsonArray().add("crm").add("switchboard")))));
    assertRefused(hs256(SECRET, claims("ada").put("aud", "crm")), "wrong audience");
    assertRefused(hs256(SECRET, claims("ada")), "wrong audience");
  }

  @Test
  void ignoresIssuerAndAudienceWhenNotConfigured() {
    result(verifier.verify(hs256(SECRET, claims("ada").put("iss", "anyone").put("aud", "anything"))));
  }

  private TokenVerifier verifier(String issuer, String audience) {
    return new TokenVerifier(JwtKeyRing.fixed(JwtKeys.from(vertx, config(issuer, audience))), issuer, audience,
        LEEWAY, () -> NOW_MS);
  }

  private static AuthConfig config(String issuer, String audience) {
    return new AuthConfig(SECRET, issuer, audience, false, new RateLimit(0, 0), null);
  }

  private static JsonObject claims(String sub) {
    return new JsonObject().put("sub", sub).put("iat", NOW_SEC - 60).put("exp", NOW_SEC + 600);
  }

  private void assertSessionRefused(String token, String message) {
    Throwable refusal = failure(verifier.verifySession(token));
    assertEquals(ErrorCode.UNAUTHORIZED, ErrorCode.of(refusal));
    assertEquals(message, refusal.getMessage());
  }

  /** The token is refused as unauthorized with exactly {@code message}, which never repeats the token. */
  private void assertRefused(String token, String message) {
    Throwable refusal = failure(verifier.verify(token));
    assertEquals(ErrorCode.UNAUTHORIZED, ErrorCode.of(refusal));
    assertEquals(message, refusal.getMessage());
  }
}
