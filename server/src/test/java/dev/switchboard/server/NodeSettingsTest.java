package dev.switchboard.server;

import dev.switchboard.auth.AuthConfig;
import dev.switchboard.protocol.SharedConfig;
import dev.switchboard.protocol.SharedConfig.RoleName;
import dev.switchboard.realtime.EdgeConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
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
  void devModeListensOnThisMachineOnlyUnlessTheHostIsSet() {
    assertEquals("127.0.0.1", NodeSettings.resolve(new JsonObject(), Map.of()).shared().httpHost());
    assertEquals("0.0.0.0", NodeSettings.resolve(new JsonObject(), Map.of("SB_HTTP_HOST", "0.0.0.0")).shared()
        .httpHost(), "a developer who opens it says so");
    assertEquals("0.0.0.0", NodeSettings.resolve(new JsonObject(), Map.of("SB_JWT_SECRET", TestTokens.SECRET))
        .shared().httpHost(), "with a key, the documented default");
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
  void theLogIsTextUnlessJsonIsAskedForAndAnythingElseIsRefused() {
    assertEquals(LogFormat.TEXT, NodeSettings.resolve(new JsonObject(), Map.of()).logFormat());
    assertEquals(LogFormat.JSON, NodeSettings.resolve(new JsonObject().put("SB_LOG_FORMAT", "json"), Map.of())
        .logFormat(), "from the config file");
    assertEquals(LogFormat.JSON, NodeSettings.resolve(new JsonObject(), Map.of("SB_LOG_FORMAT", "JSON")).logFormat());
    IllegalArgumentException xml = assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.resolve(new JsonObject(), Map.of("SB_LOG_FORMAT", "xml")));
    assertEquals("SB_LOG_FORMAT must be text or json, got 'xml'", xml.getMessage());
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

  @Test
  void theEdgeAndAuthAgreeOnDevTokensWhateverIsConfigured() {
    for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("SB_JWT_SECRET", TestTokens.SECRET),
        Map.of("SB_JWT_SECRET", TestTokens.SECRET, "SB_DEV_TOKENS", "true"), Map.of("SB_DEV_TOKENS", "off"))) {
      NodeSettings settings = NodeSettings.resolve(new JsonObject(), env);
      boolean decided = settings.shared().devTokens();
      assertEquals(decided, EdgeConfig.from(settings.config()).devTokens(), "edge, " + env.keySet());
      assertEquals(decided, AuthConfig.from(settings.config()).devTokens(), "auth, " + env.keySet());
      assertEquals(decided, SharedConfig.from(settings.config()).devTokens(), "after the generated secret, " + env);
    }
  }

  @Test
  void everyRoleReadsTheSharedSettingsTheNodeResolved() {
    NodeSettings settings = NodeSettings.resolve(new JsonObject().put("SB_HTTP_PORT", 9000),
        Map.of("SB_ROLES", "persistence,edge", "SB_HTTP_HOST", "127.0.0.1", "SB_PRESENCE_HEARTBEAT", "1s"));
    assertEquals(settings.shared(), SharedConfig.from(settings.config()));
    EdgeConfig edge = EdgeConfig.from(settings.config());
    assertEquals("127.0.0.1", edge.host());
    assertEquals(9000, edge.httpPort());
    assertEquals(Set.of(RoleName.EDGE, RoleName.PERSISTENCE), edge.roles());
    assertEquals(Duration.ofSeconds(1), edge.presenceHeartbeat());
    assertEquals(Set.of(Role.EDGE, Role.PERSISTENCE), settings.roles());
  }

  @Test
  void drainGraceDefaultsToTwentySecondsAndMustBePositive() {
    assertEquals(Duration.ofSeconds(20), NodeSettings.resolve(new JsonObject(), Map.of()).drainGrace());
    assertEquals(Duration.ofSeconds(5),
        NodeSettings.resolve(new JsonObject(), Map.of("SB_DRAIN_GRACE", "5s")).drainGrace());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.resolve(new JsonObject(), Map.of("SB_DRAIN_GRACE", "0s")));
    assertTrue(zero.getMessage().contains("SB_DRAIN_GRACE"), zero.getMessage());
  }

  @Test
  void aBadSharedSettingFailsBeforeAnyRoleStarts() {
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.resolve(new JsonObject(), Map.of("SB_HTTP_PORT", "70000")));
    assertTrue(port.getMessage().contains("SB_HTTP_PORT"), port.getMessage());
  }
}
