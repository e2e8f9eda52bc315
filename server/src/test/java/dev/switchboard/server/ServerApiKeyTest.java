package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A backend with the server API key publishes to and reads any session, without a per-user rate limit. */
class ServerApiKeyTest {

  private static final String KEY = "backend-key-0123456789";
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("SB_API_KEY", KEY, "SB_PUBLISH_RATE", "1",
      "SB_PUBLISH_BURST", "1"));

  @Test
  void publishesOnBehalfOfTheNamedUserWithoutARateLimit() {
    String watcher = TestTokens.user("watcher", List.of("orders"), List.of());
    try (WsClient subscriber = node.connect("sessionId=orders", watcher)) {
      subscriber.next("connected");
      for (int i = 1; i <= 5; i++) {
        HttpResponse<Buffer> response = withKey(HttpMethod.POST, "/sessions/orders/events", KEY,
            new JsonObject().put("eventType", "order.paid").put("payload", new JsonObject().put("n", i))
                .put("userId", "customer-7"));
        assertEquals(201, response.statusCode(), response.bodyAsString());
      }
      JsonObject event = subscriber.next("event");
      assertEquals("customer-7", event.getString("userId"));
      HttpResponse<Buffer> anonymous = withKey(HttpMethod.POST, "/sessions/orders/events", KEY,
          new JsonObject().put("eventType", "system").put("payload", 1));
      assertEquals(201, anonymous.statusCode());
      for (int i = 0; i < 5; i++) {
        event = subscriber.next("event");
      }
      assertNull(event.getString("userId"), "no userId in the body: null");
    }
  }

  @Test
  void readsHistoryAndPresenceOfAnySession() {
    assertEquals(200, withKey(HttpMethod.GET, "/sessions/anything/events?after=0", KEY, null).statusCode());
    assertEquals(200, withKey(HttpMethod.GET, "/sessions/anything/presence", KEY, null).statusCode());
  }

  @Test
  void notificationsInAPersonalSessionWaitForTheirOwnerAndNobodyElse() {
    for (int i = 1; i <= 3; i++) {
      assertEquals(201, withKey(HttpMethod.POST, "/sessions/user:alice/events", KEY,
          new JsonObject().put("eventType", "notification").put("payload", new JsonObject().put("n", i)))
          .statusCode());
    }
    String mallory = TestTokens.user("mallory", List.of("*"), List.of("*"));
    try (WsClient intruder = node.connect("sessionId=user:alice&fromEventId=0", mallory)) {
      assertEquals(4003, intruder.awaitClose());
    }
    String alice = TestTokens.user("alice", List.of("rooms-*"), List.of());
    try (WsClient owner = node.connect("sessionId=user:alice&fromEventId=0", alice)) {
      assertEquals(3, owner.events(3).get(2).getJsonObject("payload").getInteger("n"));
    }
    assertEquals(403, node.get("/sessions/user:alice/events", mallory).statusCode());
  }

  @Test
  void aWrongKeyIsUnauthorized() {
    HttpResponse<Buffer> response = withKey(HttpMethod.POST, "/sessions/orders/events", "wrong",
        new JsonObject().put("eventType", "t").put("payload", 1));
    assertEquals(401, response.statusCode());
    assertEquals("unauthorized", response.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }

  private static HttpResponse<Buffer> withKey(HttpMethod method, String path, String key, JsonObject body) {
    return TestNode.send(node.http.request(method, path).putHeader("X-Api-Key", key),
        body == null ? null : body.toBuffer());
  }
}
