package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Namespaces from the configuration file (docs/PROTOCOL.md, Namespaces), on a node: a payload against its eventType's
 * JSON Schema, a namespace only the backend publishes to, one without signals, a smaller payload limit; a session in
 * no configured namespace keeps the defaults. Over REST and WebSocket, which share one publish path.
 */
class NamespacesTest {

  private static final String KEY = "backend-key-namespaces-0123";
  private static final JsonObject VOTE_SCHEMA = new JsonObject().put("type", "object")
      .put("required", new JsonArray().add("option"))
      .put("properties", new JsonObject().put("option", new JsonObject().put("enum", new JsonArray().add("a").add("b"))))
      .put("additionalProperties", false);
  @RegisterExtension
  static final TestNode node = TestNode.perClass(new JsonObject().put("namespaces", new JsonObject()
      .put("poll", new JsonObject().put("schemas", new JsonObject().put("vote", VOTE_SCHEMA)).put("signals", false))
      .put("news", new JsonObject().put("publish", "backend"))
      .put("chat", new JsonObject().put("maxPayloadBytes", 64))), Map.of("SB_API_KEY", KEY));

  private final String token = TestTokens.user("ada", List.of("*"), List.of("*"));

  @Test
  void aPayloadMustMatchItsEventTypesSchemaAndTheRefusalSaysWhy() {
    assertEquals(201, publish("poll:1", "vote", new JsonObject().put("option", "a")).statusCode());
    HttpResponse<Buffer> refused = publish("poll:1", "vote", new JsonObject().put("option", "c"));
    assertEquals(400, refused.statusCode());
    String message = message(refused);
    assertTrue(message.startsWith("payload does not match the schema of 'vote': ") && message.contains("option"),
        message);
    assertEquals(201, publish("poll:1", "comment", new JsonObject().put("anything", 1)).statusCode(),
        "a type without a schema is free");
    assertEquals(201, publish("vote-without-namespace", "vote", new JsonObject().put("option", "z")).statusCode(),
        "a session in no configured namespace keeps the defaults");
  }

  @Test
  void onlyTheBackendPublishesInABackendNamespace() {
    HttpResponse<Buffer> refused = publish("news:front", "headline", "Storm");
    assertEquals(403, refused.statusCode());
    assertEquals("only the application's backend publishes in this namespace", message(refused));
    HttpResponse<Buffer> backend = TestNode.send(node.http.post("/sessions/news:front/events").putHeader("X-Api-Key",
        KEY), new JsonObject().put("eventType", "headline").put("payload", "Storm").toBuffer());
    assertEquals(201, backend.statusCode(), backend.bodyAsString());
  }

  @Test
  void aNamespaceWithoutSignalsRefusesThemAndOneWithASmallLimitRefusesBigPayloads() {
    try (WsClient socket = node.connect("sessionId=poll:2", token)) {
      socket.next("connected");
      socket.send(new JsonObject().put("type", "signal").put("requestId", "s1").put("sessionId", "poll:2")
          .put("eventType", "cursor").put("payload", new JsonObject().put("x", 1)));
      JsonObject error = socket.next("error");
      assertEquals("s1", error.getString("requestId"));
      assertEquals("forbidden", error.getString("code"));
      assertEquals("signals are off in this namespace", error.getString("message"));
      socket.send(new JsonObject().put("type", "publish").put("requestId", "p1").put("sessionId", "poll:2")
          .put("eventType", "vote").put("payload", new JsonObject().put("option", "b")));
      assertEquals("p1", socket.next("ack").getString("requestId"));
    }
    HttpResponse<Buffer> big = publish("chat:7", "message", "x".repeat(100));
    assertEquals(413, big.statusCode());
    assertEquals("payloads are limited to 64 bytes in this namespace", message(big));
    assertEquals(201, publish("chat:7", "message", "short").statusCode());
  }

  private HttpResponse<Buffer> publish(String session, String eventType, Object payload) {
    return node.post("/sessions/" + session + "/events", token,
        new JsonObject().put("eventType", eventType).put("payload", payload));
  }

  private static String message(HttpResponse<Buffer> answer) {
    return answer.bodyAsJsonObject().getJsonObject("error").getString("message");
  }
}
