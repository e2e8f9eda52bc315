package dev.switchboard.protocol;

import dev.switchboard.protocol.SharedConfig.RoleName;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedConfigTest {

  @Test
  void defaultsAreReadmesTable() {
    SharedConfig config = SharedConfig.from(new JsonObject());

    assertEquals(EnumSet.allOf(RoleName.class), config.roles());
    assertEquals("0.0.0.0", config.httpHost());
    assertEquals(8080, config.httpPort());
    assertTrue(config.devTokens(), "no key is configured");
    assertNull(config.redisUrl());
    assertEquals(Duration.ofSeconds(30), config.presenceHeartbeat());
  }

  @Test
  void readsEverySetting() {
    SharedConfig config = SharedConfig.from(new JsonObject().put("SB_ROLES", " Edge, persistence ")
        .put("SB_HTTP_HOST", "127.0.0.1").put("SB_HTTP_PORT", 0).put("SB_DEV_TOKENS", "false")
        .put("SB_REDIS_URL", "rediss://:pw@cache:6380/1").put("SB_PRESENCE_HEARTBEAT", "300ms"));

    assertEquals(new SharedConfig(Set.of(RoleName.EDGE, RoleName.PERSISTENCE), "127.0.0.1", 0, false,
        "rediss://:pw@cache:6380/1", Duration.ofMillis(300)), config);
  }

  @Test
  void devTokensAreOnByDefaultOnlyWithoutAnyKey() {
    for (String key : SharedConfig.JWT_KEY_SETTINGS) {
      JsonObject withKey = new JsonObject().put(key, "configured");
      assertFalse(SharedConfig.from(withKey).devTokens(), key);
      assertTrue(SharedConfig.from(withKey.copy().put("SB_DEV_TOKENS", "true")).devTokens(), key);
    }
    assertFalse(SharedConfig.from(new JsonObject().put("SB_DEV_TOKENS", false)).devTokens());
  }

  @Test
  void refusesWhatNoRoleCouldUseNamingTheSetting() {
    assertMessageNames("SB_ROLES", new JsonObject().put("SB_ROLES", "edge,teleporter"));
    assertMessageNames("SB_ROLES", new JsonObject().put("SB_ROLES", ","));
    assertMessageNames("SB_HTTP_PORT", new JsonObject().put("SB_HTTP_PORT", 65536));
    assertMessageNames("SB_HTTP_PORT", new JsonObject().put("SB_HTTP_PORT", -1));
    assertMessageNames("SB_DEV_TOKENS", new JsonObject().put("SB_DEV_TOKENS", "maybe"));
    assertMessageNames("SB_PRESENCE_HEARTBEAT", new JsonObject().put("SB_PRESENCE_HEARTBEAT", "99ms"));
    IllegalArgumentException redis = assertMessageNames("SB_REDIS_URL",
        new JsonObject().put("SB_REDIS_URL", "http://:hunter2@cache"));
    assertFalse(redis.getMessage().contains("hunter2"), "the message never repeats a password");
  }

  @Test
  void toStringNeverShowsTheRedisPassword() {
    String text = SharedConfig.from(new JsonObject().put("SB_REDIS_URL", "redis://default:hunter2@cache:6379"))
        .toString();

    assertFalse(text.contains("hunter2"), text);
    assertTrue(text.contains("redis://default:<redacted>@cache:6379"), text);
  }

  private static IllegalArgumentException assertMessageNames(String key, JsonObject config) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SharedConfig.from(config));
    assertTrue(refused.getMessage().contains(key), refused.getMessage());
    return refused;
  }
}
