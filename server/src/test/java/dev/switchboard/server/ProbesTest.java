package dev.switchboard.server;

import dev.switchboard.protocol.SharedConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code /health} and {@code /ready} answer alike, whichever server a process runs them on (docs/PROTOCOL.md). */
class ProbesTest {

  @Test
  void aProcessWithoutAnEdgeAnswersTheProbesAsAnEdgeDoes() {
    try (TestNode edge = TestNode.start();
         TestNode persistence = TestNode.start(Map.of("SB_ROLES", "persistence"));
         TestNode auth = TestNode.start(Map.of("SB_ROLES", "auth"))) {
      for (String path : List.of("/health", "/ready")) {
        HttpResponse<Buffer> fromEdge = edge.get(path, null);
        assertEquals(200, fromEdge.statusCode(), path);
        for (TestNode probed : List.of(persistence, auth)) {
          HttpResponse<Buffer> answer = probed.get(path, null);
          assertEquals(fromEdge.statusCode(), answer.statusCode(), path);
          assertEquals(fromEdge.bodyAsJsonObject().getString("status"), answer.bodyAsJsonObject().getString("status"),
              path);
          assertEquals("application/json", answer.getHeader("Content-Type"), path);
        }
        // The same checks, less the event store on a process that has none to check.
        assertEquals(fromEdge.bodyAsJsonObject().getJsonObject("checks"),
            persistence.get(path, null).bodyAsJsonObject().getJsonObject("checks"), path);
        JsonObject withoutStore = fromEdge.bodyAsJsonObject().getJsonObject("checks").copy();
        withoutStore.remove("store");
        assertEquals(withoutStore, auth.get(path, null).bodyAsJsonObject().getJsonObject("checks"), path);
      }
      HttpResponse<Buffer> unknown = persistence.get("/no-such-path", null);
      assertEquals(404, unknown.statusCode());
      assertEquals(new JsonObject().put("error", new JsonObject().put("code", "not_found").put("message", "not_found")
          .put("retryable", false)),
          unknown.bodyAsJsonObject());
    }
  }

  @Test
  void aJoiningNodeIsAliveButNotReady() throws Exception {
    int port = freePort();
    JoiningProbe probe = JoiningProbe.open(SharedConfig.from(new JsonObject().put("SB_HTTP_HOST", "127.0.0.1")
        .put("SB_HTTP_PORT", port)));
    assertNotNull(probe);
    try {
      HttpClient client = HttpClient.newHttpClient();
      var health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
          BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertEquals(new JsonObject().put("status", "ok"), new JsonObject(health.body()));
      var ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
          BodyHandlers.ofString());
      assertEquals(503, ready.statusCode());
      assertEquals(new JsonObject().put("error", new JsonObject().put("code", "unavailable")
          .put("message", "joining the cluster").put("retryable", true)), new JsonObject(ready.body()));
      assertEquals("application/json", ready.headers().firstValue("Content-Type").orElse(null));
    } finally {
      probe.close();
    }
    assertNull(JoiningProbe.open(SharedConfig.from(new JsonObject().put("SB_HTTP_PORT", 0))),
        "with any free port there is no port to hold for the node");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
