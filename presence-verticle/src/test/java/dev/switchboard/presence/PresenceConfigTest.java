package dev.switchboard.presence;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresenceConfigTest {

  @Test
  void defaultsToMemoryAMinuteOfTtlAndHalfAMinuteOfHeartbeat() {
    PresenceConfig config = PresenceConfig.from(new JsonObject());

    assertNull(config.redisUrl());
    assertEquals(RedisPresenceStore.KEY_PREFIX, config.keyPrefix());
    assertEquals(Duration.ofSeconds(60), config.ttl());
    assertEquals(Duration.ofSeconds(30), config.heartbeat());
    assertEquals(Duration.ofSeconds(15), config.sweepInterval());
    assertEquals(1000, config.broadcastMax());
  }

  @Test
  void refusesANegativeBroadcastMax() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> PresenceConfig.from(
        new JsonObject().put("SB_PRESENCE_BROADCAST_MAX", "-1")));

    assertTrue(refused.getMessage().contains("SB_PRESENCE_BROADCAST_MAX"));
  }

  @Test
  void refusesATtlThatOneLateHeartbeatWouldOutrun() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> PresenceConfig.from(
        new JsonObject().put("SB_PRESENCE_TTL", "50s").put("SB_PRESENCE_HEARTBEAT", "30s")));

    assertTrue(refused.getMessage().contains("SB_PRESENCE_TTL"));
  }

  @Test
  void refusesAMalformedRedisUrlWithoutRepeatingItAndNeverPrintsThePassword() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> PresenceConfig.from(
        new JsonObject().put("SB_REDIS_URL", "http://:hunter2@redis")));
    assertFalse(refused.getMessage().contains("hunter2"));

    PresenceConfig config = PresenceConfig.from(new JsonObject().put("SB_REDIS_URL", "redis://:hunter2@redis:6379/1"));
    assertFalse(config.toString().contains("hunter2"), config.toString());
    assertTrue(config.toString().contains("redis:6379/1"));
  }
}
