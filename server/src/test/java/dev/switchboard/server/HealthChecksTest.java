package dev.switchboard.server;

import dev.switchboard.persistence.PersistenceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code /health} and {@code /ready} report each check with its status (docs/PROTOCOL.md, {@code GET /health},
 * {@code GET /ready}), with today's status codes: {@code /health} 200 whatever the checks, {@code /ready} 503 while a
 * required check is down, and never because of Redis.
 */
class HealthChecksTest {

  private static final JsonObject UP = new JsonObject().put("status", "up");

  @Test
  void aNodeThatServesReportsEveryCheckUp() {
    try (TestNode node = TestNode.start()) {
      JsonObject checks = new JsonObject().put("drain", UP).put("cluster", UP).put("store", UP);
      HttpResponse<Buffer> ready = node.get("/ready", null);
      assertEquals(200, ready.statusCode());
      assertEquals(new JsonObject().put("status", "ready").put("checks", checks), ready.bodyAsJsonObject());
      HttpResponse<Buffer> health = node.get("/health", null);
      assertEquals(200, health.statusCode());
      assertEquals(new JsonObject().put("status", "ok").put("checks", checks), health.bodyAsJsonObject());
    }
  }

  @Test
  void aStoreThatDoesNotAnswerIsReportedDownAndTheNodeUnready() throws Exception {
    try (TestNode node = TestNode.start(Map.of("SB_ROLES", "edge,auth,presence"))) {
      JsonObject storeDown = new JsonObject().put("status", "down").put("message", "the event store is not reachable");
      HttpResponse<Buffer> ready = node.get("/ready", null);
      assertEquals(503, ready.statusCode());
      assertEquals("the event store is not reachable",
          ready.bodyAsJsonObject().getJsonObject("error").getString("message"));
      assertEquals(storeDown, ready.bodyAsJsonObject().getJsonObject("checks").getJsonObject("store"));
      assertEquals(UP, ready.bodyAsJsonObject().getJsonObject("checks").getJsonObject("cluster"));
      HttpResponse<Buffer> health = node.get("/health", null);
      assertEquals(200, health.statusCode(), "alive whatever the checks say");
      assertEquals(storeDown, health.bodyAsJsonObject().getJsonObject("checks").getJsonObject("store"));

      node.vertx.deployVerticle(new PersistenceVerticle(), new DeploymentOptions()
          .setConfig(new JsonObject().put("SB_DATA_DIR", node.dataDir.toString()))).await(10, TimeUnit.SECONDS);
      HttpResponse<Buffer> back = node.get("/ready", null);
      assertEquals(200, back.statusCode());
      assertEquals(UP, back.bodyAsJsonObject().getJsonObject("checks").getJsonObject("store"));
    }
  }

  @Test
  void redisThatDoesNotAnswerIsReportedButLeavesTheNodeReady() throws Exception {
    // Edge and persistence only: the roles that keep state in Redis are not here to fail without it.
    try (TestNode node = TestNode.start(Map.of("SB_ROLES", "edge,persistence",
        "SB_REDIS_URL", "redis://127.0.0.1:" + closedPort()))) {
      HttpResponse<Buffer> ready = node.get("/ready", null);
      assertEquals(200, ready.statusCode());
      assertEquals(new JsonObject().put("status", "down").put("message", "Redis is not reachable"),
          ready.bodyAsJsonObject().getJsonObject("checks").getJsonObject("redis"));
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
