package dev.switchboard.server;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeSettingsTest {

  @Test
  void aNodeWithoutAKeyRunsInDevModeWithAGeneratedSecretAndDevTokens() {
    NodeSettings settings = NodeSettings.resolve(new JsonObject(), Map.of());
    assertTrue(settings.devMode());
    assertNotNull(settings.config().getString("SB_JWT_SECRET"));
    assertEquals(true, settings.config().getValue("SB_DEV_TOKENS"));
    assertEquals(Set.of(Role.values()), settings.roles());
  }

  @Test
  void aConfiguredKeyTurnsDevModeAndDevTokensOff() {
    NodeSettings settings = NodeSettings.resolve(new JsonObject(),
        Map.of("SB_JWT_SECRET", TestTokens.SECRET, "SB_ROLES", "edge,auth"));
    assertFalse(settings.devMode());
    assertEquals(false, settings.config().getValue("SB_DEV_TOKENS"));
    assertEquals(Set.of(Role.EDGE, Role.AUTH), settings.roles());
  }

  @Test
  void theEnvironmentWinsOverTheConfigFile() {
    NodeSettings settings = NodeSettings.resolve(new JsonObject().put("SB_HTTP_PORT", 9000),
        Map.of("SB_HTTP_PORT", "9001"));
    assertEquals("9001", settings.config().getValue("SB_HTTP_PORT"));
  }

  @Test
  void refusesWhatCannotRunSafely() {
    IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.resolve(new JsonObject(), Map.of("SB_PG_URL", "postgresql://localhost/test")));
    assertTrue(noKey.getMessage().contains("JWT key"));
    IllegalArgumentException noPostgres = assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.resolve(new JsonObject(), Map.of("SB_CLUSTER", "true", "SB_JWT_SECRET", TestTokens.SECRET)));
    assertTrue(noPostgres.getMessage().contains("SB_PG_URL"));
    IllegalArgumentException clusterWithoutKey = assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.resolve(new JsonObject(), Map.of("SB_CLUSTER", "true", "SB_PG_URL", "postgresql://h/db")));
    assertTrue(clusterWithoutKey.getMessage().contains("JWT key"));
    assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.resolve(new JsonObject(), Map.of("SB_ROLES", "edge,teleporter")));
  }
}
