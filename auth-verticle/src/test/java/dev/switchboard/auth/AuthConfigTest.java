package dev.switchboard.auth;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.switchboard.auth.HandSignedTokens.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthConfigTest {

  @Test
  void defaultsToDevModeWithoutAKey() {
    AuthConfig config = AuthConfig.from(new JsonObject());

    assertEquals(new AuthConfig(null, null, null, true, new RateLimit(100, 20), null), config);
    assertFalse(config.hasKey());
  }

  @Test
  void readsEverySetting() {
    AuthConfig config = AuthConfig.from(new JsonObject().put("SB_JWT_SECRET", SECRET)
        .put("SB_JWT_ISSUER", "https://issuer.example").put("SB_JWT_AUDIENCE", "switchboard")
        .put("SB_DEV_TOKENS", "true").put("SB_PUBLISH_RATE", "0").put("SB_PUBLISH_BURST", 5)
        .put("SB_REDIS_URL", "redis://:pw@cache.internal:6380/2")
        .put("SB_JWT_PUBLIC_KEY_FILE", "/keys/issuer.pem").put("SB_JWKS", "https://issuer.example/jwks.json")
        .put("SB_JWKS_REFRESH", "15m").put("SB_JWT_LEEWAY", "5s"));

    assertEquals(new AuthConfig(SECRET, "https://issuer.example", "switchboard", true, new RateLimit(0, 5),
        "redis://:pw@cache.internal:6380/2", "/keys/issuer.pem", "https://issuer.example/jwks.json",
        Duration.ofMinutes(15), Duration.ofSeconds(5)), config);
    assertTrue(config.publishLimit().unlimited());
  }

  @Test
  void defaultsToTenMinuteRefreshAndThirtySecondLeeway() {
    AuthConfig config = AuthConfig.from(new JsonObject().put("SB_JWKS", "/keys/jwks.json"));

    assertEquals(Duration.ofMinutes(10), config.jwksRefresh());
    assertEquals(Duration.ofSeconds(30), config.leeway());
  }

  @Test
  void aPublicKeyOrAJwksAloneIsAKeyAndTurnsDevTokensOff() {
    for (JsonObject settings : new JsonObject[] {new JsonObject().put("SB_JWT_PUBLIC_KEY_FILE", "/keys/issuer.pem"),
        new JsonObject().put("SB_JWKS", "https://issuer.example/jwks.json")}) {
      AuthConfig config = AuthConfig.from(settings);

      assertTrue(config.hasKey(), settings.encode());
      assertFalse(config.devTokens(), settings.encode());
      assertEquals(null, config.jwtSecret());
    }
  }

  @Test
  void devTokensAreOffByDefaultOnceAKeyIsConfigured() {
    assertFalse(AuthConfig.from(new JsonObject().put("SB_JWT_SECRET", SECRET)).devTokens());
  }

  @Test
  void generatedSecretIsFreshAndLongEnough() {
    AuthConfig devMode = AuthConfig.from(new JsonObject());

    AuthConfig first = devMode.withGeneratedSecret();
    AuthConfig second = devMode.withGeneratedSecret();

    assertTrue(first.hasKey());
    assertTrue(first.jwtSecret().length() >= AuthConfig.MIN_SECRET_BYTES);
    assertNotEquals(first.jwtSecret(), second.jwtSecret());
    assertTrue(first.devTokens(), "generating a secret keeps the dev-token setting");
  }

  @Test
  void toStringNeverShowsTheSecret() {
    String text = AuthConfig.from(new JsonObject().put("SB_JWT_SECRET", SECRET)
        .put("SB_REDIS_URL", "redis://default:redis-pw@cache.internal:6379")).toString();

    assertFalse(text.contains(SECRET), text);
    assertFalse(text.contains("redis-pw"), text);
    assertTrue(text.contains("<redacted>"), text);
  }

  @Test
  void toStringShowsTheJwksUrlWithoutCredentials() {
    String text = AuthConfig.from(new JsonObject()
        .put("SB_JWKS", "https://svc:jwks-pw@issuer.example:8443/keys.json?api_key=k-123")).toString();

    assertTrue(text.contains("jwks=https://issuer.example:8443/keys.json"), text);
    assertFalse(text.contains("jwks-pw"), text);
    assertFalse(text.contains("k-123"), text);
  }

  @Test
  void refusesBadSettingsWithTheirNames() {
    assertMessageNames("SB_JWT_SECRET", new JsonObject().put("SB_JWT_SECRET", "too-short"));
    assertMessageNames("SB_PUBLISH_RATE", new JsonObject().put("SB_PUBLISH_RATE", -1));
    assertMessageNames("SB_PUBLISH_BURST", new JsonObject().put("SB_PUBLISH_BURST", 0));
    assertMessageNames("SB_DEV_TOKENS", new JsonObject().put("SB_DEV_TOKENS", "maybe"));
    assertMessageNames("SB_REDIS_URL", new JsonObject().put("SB_REDIS_URL", "cache.internal:too-short"));
    assertMessageNames("SB_JWKS", new JsonObject().put("SB_JWKS", "ftp://too-short@issuer.example/jwks.json"));
    assertMessageNames("SB_JWKS_REFRESH", new JsonObject().put("SB_JWKS", "/k.json").put("SB_JWKS_REFRESH", "0"));
    assertMessageNames("SB_JWT_LEEWAY", new JsonObject().put("SB_JWT_LEEWAY", "6m"));
    assertMessageNames("SB_JWT_LEEWAY", new JsonObject().put("SB_JWT_LEEWAY", "-1s"));
  }

  private static void assertMessageNames(String key, JsonObject config) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> AuthConfig.from(config));
    assertTrue(refused.getMessage().contains(key), refused.getMessage());
    assertFalse(refused.getMessage().contains("too-short"), "the message never repeats a secret");
  }
}
