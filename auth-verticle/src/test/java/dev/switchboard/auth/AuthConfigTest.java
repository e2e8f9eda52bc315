package dev.switchboard.auth;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

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
        .put("SB_REDIS_URL", "redis://:pw@cache.internal:6380/2"));

    assertEquals(new AuthConfig(SECRET, "https://issuer.example", "switchboard", true, new RateLimit(0, 5),
        "redis://:pw@cache.internal:6380/2"), config);
    assertTrue(config.publishLimit().unlimited());
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
  void refusesBadSettingsWithTheirNames() {
    assertMessageNames("SB_JWT_SECRET", new JsonObject().put("SB_JWT_SECRET", "too-short"));
    assertMessageNames("SB_PUBLISH_RATE", new JsonObject().put("SB_PUBLISH_RATE", -1));
    assertMessageNames("SB_PUBLISH_BURST", new JsonObject().put("SB_PUBLISH_BURST", 0));
    assertMessageNames("SB_DEV_TOKENS", new JsonObject().put("SB_DEV_TOKENS", "maybe"));
    assertMessageNames("SB_REDIS_URL", new JsonObject().put("SB_REDIS_URL", "cache.internal:too-short"));
    // A key this role cannot use yet must not silently turn into a generated dev secret.
    assertMessageNames("SB_JWT_PUBLIC_KEY_FILE", new JsonObject().put("SB_JWT_PUBLIC_KEY_FILE", "/keys/pub.pem"));
    assertMessageNames("SB_JWKS", new JsonObject().put("SB_JWKS", "https://issuer.example/jwks.json"));
  }

  private static void assertMessageNames(String key, JsonObject config) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> AuthConfig.from(config));
    assertTrue(refused.getMessage().contains(key), refused.getMessage());
    assertFalse(refused.getMessage().contains("too-short"), "the message never repeats a secret");
  }
}
