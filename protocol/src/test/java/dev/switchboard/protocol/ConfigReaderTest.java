package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigReaderTest {

  @Test
  void readsStringsFromTheEnvironmentAndJsonValuesFromAFile() {
    ConfigReader config = new ConfigReader(new JsonObject()
        .put("SB_HTTP_PORT", "9090").put("SB_PUBLISH_RATE", 0).put("SB_DEV_TOKENS", false)
        .put("SB_HISTORY_TTL", "90m").put("SB_BLANK", " "));
    assertEquals(9090, config.integer("SB_HTTP_PORT", 8080));
    assertEquals(0, config.integer("SB_PUBLISH_RATE", 100));
    assertFalse(config.bool("SB_DEV_TOKENS", true));
    assertEquals(Duration.ofMinutes(90), config.duration("SB_HISTORY_TTL", Duration.ofHours(24)));
    assertEquals("fallback", config.string("SB_BLANK", "fallback"));
    assertTrue(config.bool("SB_MISSING", true));
  }

  @Test
  void parsesDurations() {
    assertEquals(Duration.ofMillis(500), ConfigReader.parseDuration("500ms"));
    assertEquals(Duration.ofSeconds(20), ConfigReader.parseDuration("20"));
    assertEquals(Duration.ofDays(7), ConfigReader.parseDuration("7d"));
  }

  @Test
  void badValuesNameTheirKey() {
    ConfigReader config = new ConfigReader(new JsonObject().put("SB_HTTP_PORT", "eighty").put("SB_X", "5 parsecs"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.integer("SB_HTTP_PORT", 1));
    assertTrue(e.getMessage().contains("SB_HTTP_PORT"));
    assertThrows(IllegalArgumentException.class, () -> config.duration("SB_X", Duration.ZERO));
  }
}
