package dev.switchboard.auth;

import dev.switchboard.protocol.DevTokenRequest;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static dev.switchboard.auth.HandSignedTokens.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@ExtendWith(VertxExtension.class)
class DevTokenMinterTest {

  private static final long NOW_MS = 1_800_000_000_000L;
  private static final long NOW_SEC = NOW_MS / 1000;
  private static final String ISSUER = "https://issuer.example";
  private static final String AUDIENCE = "switchboard";

  private DevTokenMinter minter;
  private TokenVerifier verifier;

  @BeforeEach
  void create(Vertx vertx) {
    JwtKeys keys = JwtKeys.from(vertx, new AuthConfig(SECRET, ISSUER, AUDIENCE, true, new RateLimit(0, 0), null));
    minter = new DevTokenMinter(keys, ISSUER, AUDIENCE, () -> NOW_MS);
    verifier = new TokenVerifier(JwtKeyRing.fixed(keys), ISSUER, AUDIENCE, Duration.ZERO, () -> NOW_MS);
  }

  @Test
  void mintedTokenVerifiesToTheRequestedPrincipal() {
    DevTokenRequest request = new DevTokenRequest("ada", List.of("poll-*"), List.of("poll-1"), "Ada", "presenter",
        120);

    String token = result(minter.mint(request)).token();

    JsonObject payload = payloadOf(token);
    assertEquals(new Principal("ada", "Ada", "presenter", List.of("poll-*"), List.of("poll-1"),
        (NOW_SEC + 120) * 1000, payload.getString("jti")), result(verifier.verify(token)));
    assertEquals(new JsonObject().put("sub", "ada").put("iat", NOW_SEC).put("exp", NOW_SEC + 120)
            .put("jti", payload.getString("jti")).put("sessions", List.of("poll-*")).put("publish", List.of("poll-1")).put("name", "Ada")
            .put("actorType", "presenter").put("iss", ISSUER).put("aud", AUDIENCE),
        payload);
  }

  @Test
  void leavesOutDisplayClaimsThatAreNotGiven() {
    String token = result(minter.mint(new DevTokenRequest("bob", List.of(), List.of(), null, null, 60))).token();

    assertEquals(new Principal("bob", null, null, List.of(), List.of(), (NOW_SEC + 60) * 1000,
        payloadOf(token).getString("jti")), result(verifier.verify(token)));
  }

  @Test
  void defaultsUnsetTtlToAnHourAndCapsItAtADay() {
    assertEquals(NOW_SEC + 3600, expOf(new DevTokenRequest("ada", List.of(), List.of(), null, null, 0)));
    assertEquals(NOW_SEC + 3600, expOf(new DevTokenRequest("ada", List.of(), List.of(), null, null, 999_999)),
        "a development token lives an hour at most");
  }

  @Test
  void refusesRequestWithoutSubOrWithNegativeTtl() {
    assertEquals(ErrorCode.BAD_REQUEST,
        ErrorCode.of(failure(minter.mint(new DevTokenRequest(null, List.of(), List.of(), null, null, 60)))));
    assertEquals(ErrorCode.BAD_REQUEST,
        ErrorCode.of(failure(minter.mint(new DevTokenRequest(" ", List.of(), List.of(), null, null, 60)))));
    assertEquals(ErrorCode.BAD_REQUEST,
        ErrorCode.of(failure(minter.mint(new DevTokenRequest("ada", List.of(), List.of(), null, null, -1)))));
  }

  @Test
  void cannotSignWithPublicKeysAlone(Vertx vertx, @TempDir Path dir) {
    Path pem = TestKeys.write(dir, "public.pem", TestKeys.pem(TestKeys.RSA.getPublic()));
    JwtKeys publicOnly = JwtKeys.from(vertx, AuthConfig.from(new JsonObject()
        .put("SB_JWT_PUBLIC_KEY_FILE", pem.toString())));

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> new DevTokenMinter(publicOnly, ISSUER, AUDIENCE, () -> NOW_MS));
    assertEquals("dev tokens need SB_JWT_SECRET to sign with", refused.getMessage());
  }

  private long expOf(DevTokenRequest request) {
    return payloadOf(result(minter.mint(request)).token()).getLong("exp");
  }

  private static JsonObject payloadOf(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }
}
