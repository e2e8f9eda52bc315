package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reserved sessions ({@code sys:}, docs/PROTOCOL.md, Words) are closed to every client whatever its token or key
 * says: subscribing on any transport, reading history or presence, publishing and signalling are refused as
 * {@code forbidden}.
 */
class ReservedSessionsTest {

  private static final String API_KEY = "reserved-sessions-test-api-key-0123456789";
  private static final String CANARY = "sys:canary:somenode";
  private static final String EVERYTHING = TestTokens.user("mallory", List.of("*"), List.of("*"));

  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("SB_API_KEY", API_KEY));

  @Test
  void aTokenForEverySessionCannotSubscribeToACanarySession() {
    try (WsClient ws = node.connect("sessionId=" + CANARY, EVERYTHING)) {
      assertEquals(4003, ws.awaitClose());
    }
    try (WsClient ws = node.connect("sessionId=open", EVERYTHING)) {
      ws.next(); // connected
      ws.send(new JsonObject().put("type", "subscribe").put("requestId", "1").put("sessionId", CANARY));
      JsonObject refused = nextOfType(ws, "error");
      assertEquals("forbidden", refused.getString("code"));
      assertEquals("1", refused.getString("requestId"));
    }
    HttpResponse<Buffer> sse = TestNode.send(node.http.get("/events?sessionId=" + CANARY + "&access_token="
        + EVERYTHING).putHeader("Accept", "text/event-stream"), null);
    assertEquals(403, sse.statusCode());
    HttpResponse<Buffer> poll = node.get("/poll?sessionId=" + CANARY + "&fromEventId=0&timeoutMs=1000", EVERYTHING);
    assertEquals(403, poll.statusCode());
  }

  @Test
  void aTokenForEverySessionCannotReadOrPublishToACanarySession() {
    assertEquals(403, node.get("/sessions/" + CANARY + "/events?after=0", EVERYTHING).statusCode());
    assertEquals(403, node.get("/sessions/" + CANARY + "/presence", EVERYTHING).statusCode());
    HttpResponse<Buffer> publish = node.post("/sessions/" + CANARY + "/events", EVERYTHING,
        new JsonObject().put("eventType", "fake").put("payload", new JsonObject().put("sentAt", 1)));
    assertEquals(403, publish.statusCode());
    assertEquals("forbidden", publish.bodyAsJsonObject().getJsonObject("error").getString("code"));
    try (WsClient ws = node.connect("", EVERYTHING)) {
      ws.next(); // connected
      ws.send(new JsonObject().put("type", "publish").put("requestId", "p").put("sessionId", CANARY)
          .put("eventType", "fake").put("payload", new JsonObject()));
      assertEquals("forbidden", nextOfType(ws, "error").getString("code"));
    }
  }

  @Test
  void theServerApiKeyCannotReadOrPublishToACanarySession() {
    HttpResponse<Buffer> read = TestNode.send(node.http.get("/sessions/" + CANARY + "/events?after=0")
        .putHeader("X-Api-Key", API_KEY), null);
    assertEquals(403, read.statusCode());
    HttpResponse<Buffer> publish = TestNode.send(node.http.post("/sessions/" + CANARY + "/events")
            .putHeader("X-Api-Key", API_KEY).putHeader("Content-Type", "application/json"),
        new JsonObject().put("eventType", "fake").put("userId", "x").put("payload", new JsonObject()).toBuffer());
    assertEquals(403, publish.statusCode());
  }

  @Test
  void aTokenLookingLikeTheCanarysIsJustAnInvalidToken() {
    try (WsClient ws = node.connect("sessionId=" + CANARY, "sb-canary.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")) {
      assertEquals(4001, ws.awaitClose());
    }
  }

  private static JsonObject nextOfType(WsClient ws, String type) {
    for (int i = 0; i < 20; i++) {
      JsonObject frame = ws.next();
      if (type.equals(frame.getString("type"))) {
        return frame;
      }
    }
    throw new AssertionError("no " + type + " frame");
  }
}
