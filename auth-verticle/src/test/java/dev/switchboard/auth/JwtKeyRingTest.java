package dev.switchboard.auth;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static dev.switchboard.protocol.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JWKS served over HTTP (or from a file) and rotated by its issuer while a node verifies tokens against it. */
@ExtendWith(VertxExtension.class)
class JwtKeyRingTest {

  private static final long NOW_MS = 1_800_000_000_000L;
  private static final long NOW_SEC = NOW_MS / 1000;
  private static final PrivateKey OLD = TestKeys.RSA.getPrivate();
  private static final PrivateKey NEW = TestKeys.OTHER_RSA.getPrivate();
  private static final JsonObject OLD_JWK = TestKeys.jwk(TestKeys.RSA.getPublic(), "2024-01");
  private static final JsonObject NEW_JWK = TestKeys.jwk(TestKeys.OTHER_RSA.getPublic(), "2024-07");

  private Vertx vertx;
  /** What the issuer's JWKS endpoint answers: a status and a body. */
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> published = new AtomicReference<>();
  private final AtomicInteger fetches = new AtomicInteger();
  /** The clock refreshes are spaced by, moved by hand. */
  private final AtomicLong clock = new AtomicLong(NOW_MS);
  private String url;

  @BeforeEach
  void serveJwks(Vertx vertx) {
    this.vertx = vertx;
    publish(TestKeys.jwks(OLD_JWK, TestKeys.jwk(TestKeys.EC.getPublic(), "ec-1")));
    HttpServer server = result(vertx.createHttpServer().requestHandler(request -> {
      fetches.incrementAndGet();
      request.response().setStatusCode(status.get()).putHeader("Content-Type", "application/json")
          .end(published.get());
    }).listen(0, "127.0.0.1"));
    url = "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json";
  }

  @Test
  void verifiesTokensWhoseKidIsInTheJwks() {
    TokenVerifier verifier = verifier(start(config()));

    assertEquals("ada", result(verifier.verify(token("RS256", OLD, "2024-01"))).userId());
    assertEquals("bob", result(verifier.verify(HandSignedTokens.signed("ES256", TestKeys.EC.getPrivate(), "ec-1",
        claims("bob")))).userId());
    assertEquals(1, fetches.get());
  }

  @Test
  void refusesUnknownKidAndKeyOfAnotherKid() {
    TokenVerifier verifier = verifier(start(config()));

    assertRefused(verifier, token("RS256", OLD, "2023-12"), "unknown key id");
    // The right kid with another key's signature, and a kid of an EC key under RS256.
    assertRefused(verifier, token("RS256", NEW, "2024-01"), "invalid token");
    assertRefused(verifier, token("RS256", OLD, "ec-1"), "unknown key id");
    assertRefused(verifier, token("ES384", TestKeys.EC.getPrivate(), "ec-1"), "unsupported algorithm");
    assertRefused(verifier, HandSignedTokens.unsigned(claims("ada")), "unsupported algorithm");
  }

  @Test
  void picksUpARotatedKeyOnDemandAtMostEveryThirtySeconds() {
    TokenVerifier verifier = verifier(start(config()));
    publish(TestKeys.jwks(NEW_JWK));
    String rotated = token("RS256", NEW, "2024-07");

    clock.addAndGet(JwtKeyRing.ON_DEMAND_INTERVAL.toMillis() - 1);
    assertRefused(verifier, rotated, "unknown key id");
    assertEquals(1, fetches.get(), "an unknown kid within 30 s of the last read does not fetch again");

    clock.addAndGet(1);
    assertEquals("ada", result(verifier.verify(rotated)).userId());
    assertEquals(2, fetches.get());

    clock.addAndGet(JwtKeyRing.ON_DEMAND_INTERVAL.toMillis());
    assertRefused(verifier, token("RS256", OLD, "2024-01"), "unknown key id");
    assertEquals(3, fetches.get(), "the removed kid was looked for once more, and is still gone");
  }

  @Test
  void tokensWithUnknownKidsArrivingTogetherShareOneFetch() {
    TokenVerifier verifier = verifier(start(config()));
    publish(TestKeys.jwks(NEW_JWK));
    clock.addAndGet(JwtKeyRing.ON_DEMAND_INTERVAL.toMillis());

    List<Future<Principal>> verified = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      verified.add(verifier.verify(token("RS256", NEW, "2024-07")));
    }

    verified.forEach(future -> assertEquals("ada", result(future).userId()));
    assertEquals(2, fetches.get());
  }

  @Test
  void keepsTheLastGoodKeysWhenARefreshFails() {
    TokenVerifier verifier = verifier(start(config()));
    String old = token("RS256", OLD, "2024-01");
    String rotated = token("RS256", NEW, "2024-07");

    status.set(503);
    assertRefusedAfterARefresh(verifier, rotated);
    status.set(200);
    published.set("<html>maintenance</html>");
    assertRefusedAfterARefresh(verifier, rotated);
    publish(TestKeys.jwks(new JsonObject().put("kty", "oct").put("kid", "2024-07").put("k", "c2VjcmV0")));
    assertRefusedAfterARefresh(verifier, rotated);
    assertEquals(4, fetches.get());
    result(verifier.verify(old));

    publish(TestKeys.jwks(NEW_JWK));
    clock.addAndGet(JwtKeyRing.ON_DEMAND_INTERVAL.toMillis());
    result(verifier.verify(rotated));
  }

  @Test
  void refreshesOnATimerToo() {
    // The clock stands still, so no unknown kid may trigger a read: only the timer can.
    JwtKeyRing ring = start(config().put("SB_JWKS_REFRESH", "1s"));
    publish(TestKeys.jwks(NEW_JWK));

    until(() -> ring.current().knows("RS256", "2024-07"));

    assertRefused(verifier(ring), token("RS256", OLD, "2024-01"), "unknown key id");
    result(verifier(ring).verify(token("RS256", NEW, "2024-07")));
  }

  @Test
  void readsAJwksFileAndRereadsItForAnUnknownKid(@TempDir Path dir) {
    Path file = TestKeys.write(dir, "jwks.json", TestKeys.jwks(OLD_JWK).encode());
    TokenVerifier verifier = verifier(start(new JsonObject().put("SB_JWKS", file.toString())));
    result(verifier.verify(token("RS256", OLD, "2024-01")));

    TestKeys.write(dir, "jwks.json", TestKeys.jwks(NEW_JWK).encode());
    clock.addAndGet(JwtKeyRing.ON_DEMAND_INTERVAL.toMillis());

    result(verifier.verify(token("RS256", NEW, "2024-07")));
    assertRefused(verifier, token("RS256", OLD, "2024-01"), "unknown key id");
  }

  @Test
  void combinesTheJwksWithASecretAndAPemKey(@TempDir Path dir) {
    Path pem = TestKeys.write(dir, "issuer.pem", TestKeys.pem(TestKeys.OTHER_EC.getPublic()));
    TokenVerifier verifier = verifier(start(config().put("SB_JWT_SECRET", HandSignedTokens.SECRET)
        .put("SB_JWT_PUBLIC_KEY_FILE", pem.toString())));

    result(verifier.verify(token("RS256", OLD, "2024-01")));
    result(verifier.verify(HandSignedTokens.signed("ES256", TestKeys.OTHER_EC.getPrivate(), null, claims("ada"))));
    result(verifier.verify(HandSignedTokens.hs256(HandSignedTokens.SECRET, claims("ada"))));
    clock.addAndGet(JwtKeyRing.ON_DEMAND_INTERVAL.toMillis());
    assertRefused(verifier, HandSignedTokens.signed("HS512", "HmacSHA512", "a-secret-this-node-does-not-have-at-all",
        claims("ada")), "invalid token");
    assertEquals(1, fetches.get(), "an HS token never sends the node to the JWKS");
  }

  @Test
  void failsToStartWhenTheFirstReadFails(@TempDir Path dir) {
    status.set(404);
    Throwable refused = failure(JwtKeyRing.start(vertx, AuthConfig.from(config()), clock::get));
    assertInstanceOf(IllegalArgumentException.class, refused);
    assertEquals("SB_JWKS " + url + ": HTTP 404", refused.getMessage());

    Path absent = dir.resolve("absent.json");
    refused = failure(JwtKeyRing.start(vertx, AuthConfig.from(new JsonObject().put("SB_JWKS", absent.toString())),
        clock::get));
    assertTrue(refused.getMessage().startsWith("SB_JWKS " + absent + ": "), refused.getMessage());
  }

  private JsonObject config() {
    return new JsonObject().put("SB_JWKS", url);
  }

  private JwtKeyRing start(JsonObject config) {
    return result(JwtKeyRing.start(vertx, AuthConfig.from(config), clock::get));
  }

  private TokenVerifier verifier(JwtKeyRing ring) {
    return new TokenVerifier(ring, null, null, Duration.ofSeconds(30), clock::get);
  }

  private void publish(JsonObject jwks) {
    published.set(jwks.encode());
  }

  /** Refused as an unknown kid after a fresh read of the JWKS, which failed. */
  private void assertRefusedAfterARefresh(TokenVerifier verifier, String token) {
    int before = fetches.get();
    clock.addAndGet(JwtKeyRing.ON_DEMAND_INTERVAL.toMillis());
    assertRefused(verifier, token, "unknown key id");
    assertEquals(before + 1, fetches.get());
  }

  private static String token(String alg, PrivateKey key, String kid) {
    return HandSignedTokens.signed(alg, key, kid, claims("ada"));
  }

  private static JsonObject claims(String sub) {
    return new JsonObject().put("sub", sub).put("iat", NOW_SEC - 60).put("exp", NOW_SEC + 600);
  }

  private static void assertRefused(TokenVerifier verifier, String token, String message) {
    Throwable refusal = failure(verifier.verify(token));
    assertEquals(ErrorCode.UNAUTHORIZED, ErrorCode.of(refusal));
    assertEquals(message, refusal.getMessage());
  }
}
