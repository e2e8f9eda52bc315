package dev.switchboard.auth;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.DevTokenRequest;
import dev.switchboard.protocol.DevTokenResult;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.RateRequest;
import dev.switchboard.protocol.RateResult;
import dev.switchboard.protocol.RevokeRequest;
import dev.switchboard.protocol.VerifyRequest;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static dev.switchboard.auth.HandSignedTokens.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class AuthVerticleTest {

  private static final DevTokenRequest ADA = new DevTokenRequest("ada", List.of("poll-*"), List.of("poll-1"), "Ada",
      "presenter", 600);

  @Test
  void verifiesATokenToItsPrincipal(Vertx vertx) {
    deploy(vertx, new JsonObject().put("SB_JWT_SECRET", SECRET));
    long exp = System.currentTimeMillis() / 1000 + 600;
    String token = HandSignedTokens.hs256(SECRET, new JsonObject().put("sub", "ada").put("exp", exp)
        .put("name", "Ada").put("actorType", "participant").put("sessions", new JsonArray().add("poll-1")));

    Principal principal = this.<Principal>request(vertx, Addresses.AUTH_VERIFY, new VerifyRequest(token)).body();

    assertEquals(new Principal("ada", "Ada", "participant", List.of("poll-1"), List.of(), exp * 1000), principal);
  }

  @Test
  void refusesARevokedTokenUntilItExpiresAndNoOtherToken(Vertx vertx) {
    deploy(vertx, new JsonObject().put("SB_JWT_SECRET", SECRET).put("SB_DEV_TOKENS", "true"));
    String revoked = this.<DevTokenResult>request(vertx, Addresses.AUTH_DEV_TOKEN, ADA).body().token();
    String other = this.<DevTokenResult>request(vertx, Addresses.AUTH_DEV_TOKEN, ADA).body().token();
    Principal principal = this.<Principal>request(vertx, Addresses.AUTH_VERIFY, new VerifyRequest(revoked)).body();

    request(vertx, Addresses.AUTH_REVOKE, new RevokeRequest(principal.tokenId(), principal.expiresAt()));

    ReplyException refused = refusal(vertx, Addresses.AUTH_VERIFY, new VerifyRequest(revoked));
    assertEquals(ErrorCode.UNAUTHORIZED.failureCode(), refused.failureCode());
    assertEquals("token revoked", refused.getMessage());
    assertEquals("ada", this.<Principal>request(vertx, Addresses.AUTH_VERIFY, new VerifyRequest(other)).body()
        .userId(), "the same user's other token still works");
  }

  @Test
  void refusesABadTokenAsUnauthorized(Vertx vertx) {
    deploy(vertx, new JsonObject().put("SB_JWT_SECRET", SECRET));
    String token = HandSignedTokens.unsigned(new JsonObject().put("sub", "ada")
        .put("exp", System.currentTimeMillis() / 1000 + 600));

    ReplyException refused = refusal(vertx, Addresses.AUTH_VERIFY, new VerifyRequest(token));

    assertEquals(ErrorCode.UNAUTHORIZED.failureCode(), refused.failureCode());
    assertEquals("unsupported algorithm", refused.getMessage());
  }

  @Test
  void mintsDevTokensThatVerifyToTheRequestedPrincipal(Vertx vertx) {
    deploy(vertx, new JsonObject().put("SB_JWT_SECRET", SECRET).put("SB_DEV_TOKENS", true)
        .put("SB_JWT_ISSUER", "https://issuer.example").put("SB_JWT_AUDIENCE", "switchboard"));

    assertMintedTokenVerifies(vertx);
  }

  @Test
  void offersDevTokensOnAGeneratedSecretWhenNoKeyIsConfigured(Vertx vertx) {
    deploy(vertx, new JsonObject());

    assertMintedTokenVerifies(vertx);
    ReplyException refused = refusal(vertx, Addresses.AUTH_VERIFY, new VerifyRequest(HandSignedTokens.hs256(SECRET,
        new JsonObject().put("sub", "ada").put("exp", System.currentTimeMillis() / 1000 + 600))));
    assertEquals(ErrorCode.UNAUTHORIZED.failureCode(), refused.failureCode());
  }

  @Test
  void answersNotFoundWhenDevTokensAreDisabled(Vertx vertx) {
    deploy(vertx, new JsonObject().put("SB_JWT_SECRET", SECRET));

    ReplyException refused = refusal(vertx, Addresses.AUTH_DEV_TOKEN, ADA);

    assertEquals(ErrorCode.NOT_FOUND.failureCode(), refused.failureCode());
  }

  @Test
  void answersBadRequestForADevTokenWithoutSub(Vertx vertx) {
    deploy(vertx, new JsonObject().put("SB_JWT_SECRET", SECRET).put("SB_DEV_TOKENS", "true"));

    ReplyException refused = refusal(vertx, Addresses.AUTH_DEV_TOKEN,
        new DevTokenRequest(null, List.of(), List.of(), null, null, 60));

    assertEquals(ErrorCode.BAD_REQUEST.failureCode(), refused.failureCode());
    assertEquals("sub is required", refused.getMessage());
  }

  @Test
  void limitsEachUsersPublishRate(Vertx vertx) {
    deploy(vertx, new JsonObject().put("SB_JWT_SECRET", SECRET).put("SB_PUBLISH_RATE", 60)
        .put("SB_PUBLISH_BURST", 2));

    assertEquals(RateResult.ALLOWED, rate(vertx, "ada"));
    assertEquals(RateResult.ALLOWED, rate(vertx, "ada"));
    RateResult refused = rate(vertx, "ada");
    assertEquals(RateResult.ALLOWED, rate(vertx, "bob"));

    assertFalse(refused.allowed());
    assertTrue(refused.retryAfterMs() > 0 && refused.retryAfterMs() <= 1000, "retry after " + refused.retryAfterMs());
  }

  @Test
  void chargesANamespacesRateToABucketApartFromTheGlobalOne(Vertx vertx) {
    deploy(vertx, new JsonObject().put("SB_JWT_SECRET", SECRET).put("SB_PUBLISH_RATE", 60)
        .put("SB_PUBLISH_BURST", 2));
    RateRequest inPoll = new RateRequest("ada", 1, "poll", 6, 1);

    assertEquals(RateResult.ALLOWED, request(vertx, inPoll));
    RateResult refused = request(vertx, inPoll);
    assertFalse(refused.allowed());
    assertTrue(refused.retryAfterMs() > 1000 && refused.retryAfterMs() <= 10_000, "the namespace's rate, 6 a minute");
    assertEquals(RateResult.ALLOWED, request(vertx, new RateRequest("ada", 1, "chat", 6, 1)), "another namespace");
    assertEquals(RateResult.ALLOWED, rate(vertx, "ada"), "the global bucket is untouched");
    assertEquals(RateResult.ALLOWED, rate(vertx, "ada"));
    assertFalse(rate(vertx, "ada").allowed());
  }

  @Test
  void answersBadRequestForARateRequestWithoutUser(Vertx vertx) {
    deploy(vertx, new JsonObject().put("SB_JWT_SECRET", SECRET));

    assertEquals(ErrorCode.BAD_REQUEST.failureCode(),
        refusal(vertx, Addresses.AUTH_RATE, new RateRequest(null, 1)).failureCode());
    assertEquals(ErrorCode.BAD_REQUEST.failureCode(),
        refusal(vertx, Addresses.AUTH_RATE, new RateRequest("ada", 1000)).failureCode());
  }

  @Test
  void refusesToStartWithABadSetting(Vertx vertx) {
    Future<String> deployed = vertx.deployVerticle(new AuthVerticle(),
        new DeploymentOptions().setConfig(new JsonObject().put("SB_JWT_SECRET", "short")));

    assertInstanceOf(IllegalArgumentException.class, failure(deployed));
  }

  @Test
  void verifiesPublicKeyTokensAndOffersNoDevTokensWithoutASecret(Vertx vertx, @TempDir Path dir) {
    Path pem = TestKeys.write(dir, "issuer.pem", TestKeys.pem(TestKeys.RSA.getPublic()));
    deploy(vertx, new JsonObject().put("SB_JWT_PUBLIC_KEY_FILE", pem.toString()).put("SB_DEV_TOKENS", true));
    long exp = System.currentTimeMillis() / 1000 + 600;
    String token = HandSignedTokens.signed("RS256", TestKeys.RSA.getPrivate(), null,
        new JsonObject().put("sub", "ada").put("exp", exp));

    Principal principal = this.<Principal>request(vertx, Addresses.AUTH_VERIFY, new VerifyRequest(token)).body();

    assertEquals(new Principal("ada", null, null, List.of(), List.of(), exp * 1000), principal);
    assertEquals(ErrorCode.NOT_FOUND.failureCode(), refusal(vertx, Addresses.AUTH_DEV_TOKEN, ADA).failureCode());
  }

  @Test
  void refusesToStartWhenTheJwksCannotBeRead(Vertx vertx, @TempDir Path dir) {
    Future<String> deployed = vertx.deployVerticle(new AuthVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("SB_JWKS", dir.resolve("absent.json").toString())));

    assertTrue(failure(deployed).getMessage().startsWith("SB_JWKS "), failure(deployed).getMessage());
  }

  private void assertMintedTokenVerifies(Vertx vertx) {
    long before = System.currentTimeMillis() / 1000 * 1000;
    String token = this.<DevTokenResult>request(vertx, Addresses.AUTH_DEV_TOKEN, ADA).body().token();

    Principal principal = this.<Principal>request(vertx, Addresses.AUTH_VERIFY, new VerifyRequest(token)).body();

    long after = System.currentTimeMillis();
    assertNotNull(principal.tokenId(), "a dev token has a jti, so it can be revoked");
    assertEquals(new Principal("ada", "Ada", "presenter", List.of("poll-*"), List.of("poll-1"),
        principal.expiresAt(), principal.tokenId()), principal);
    assertTrue(principal.expiresAt() >= before + 600_000 && principal.expiresAt() <= after + 600_000,
        "expires " + ADA.ttlSec() + " s after minting");
  }

  private RateResult request(Vertx vertx, RateRequest request) {
    return this.<RateResult>request(vertx, Addresses.AUTH_RATE, request).body();
  }

  private RateResult rate(Vertx vertx, String userId) {
    return this.<RateResult>request(vertx, Addresses.AUTH_RATE, new RateRequest(userId, 1)).body();
  }

  private static void deploy(Vertx vertx, JsonObject config) {
    result(vertx.deployVerticle(new AuthVerticle(), new DeploymentOptions().setConfig(config)));
  }

  private <T> Message<T> request(Vertx vertx, String address, Object body) {
    return result(vertx.eventBus().request(address, body));
  }

  private static ReplyException refusal(Vertx vertx, String address, Object body) {
    return assertInstanceOf(ReplyException.class, failure(vertx.eventBus().request(address, body)));
  }
}
