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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Session tokens (docs/PROTOCOL.md, Per-session tokens): a backend grants one session to one user with a short-lived
 * JWT, on a connection whose token does not allow it, on WebSocket, SSE and long polling; another user's token or
 * another session's grants nothing; at its expiry that one subscription ends and the connection goes on; a WebSocket
 * refreshes it without a gap.
 */
class PerSessionTokensTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  /** Publishes to every session; the users' connection tokens allow only {@code open-*}. */
  private static final String BACKEND = TestTokens.user("backend", List.of("*"), List.of("*"));

  @Test
  void aWebSocketSubscribesToASessionItsConnectionTokenDoesNotAllow() {
    String session = "doc:ws-granted";
    try (WsClient socket = node.connect("", connectionToken("ada"))) {
      socket.next("connected");
      socket.send(subscribe("s1", session, null));
      assertEquals("the token does not allow this session", error(socket, "s1").getString("message"));

      socket.send(subscribe("s2", session, sessionToken("ada", session, 3600)));
      socket.next("replayed");
      node.publish(BACKEND, session, new JsonObject().put("n", 1));
      assertEquals(session, socket.next("event").getString("sessionId"));
    }
  }

  @Test
  void onWebSocketASessionTokenWithPublishAllowsPublishingAndSignallingThere() {
    String readOnly = "doc:ws-read";
    String writable = "doc:ws-write";
    try (WsClient socket = node.connect("", connectionToken("hal"))) {
      socket.next("connected");
      socket.send(subscribe("r", readOnly, sessionToken("hal", readOnly, 3600)));
      socket.send(subscribe("w", writable, TestTokens.hs256(TestTokens.SECRET, grant("hal", writable)
          .put("publish", true).put("exp", System.currentTimeMillis() / 1000 + 3600))));
      socket.next("replayed");
      socket.next("replayed");
      socket.send(publish("p1", readOnly));
      assertEquals("the token does not allow publishing to this session", error(socket, "p1").getString("message"));
      socket.send(publish("p2", writable));
      assertEquals("p2", socket.next("ack").getString("requestId"));
      assertEquals(writable, socket.next("event").getString("sessionId"));
    }
  }

  @Test
  void aSessionTokenOfAnotherUserOrAnotherSessionGrantsNothing() {
    String session = "doc:ws-refused";
    try (WsClient socket = node.connect("", connectionToken("bea"))) {
      socket.next("connected");
      socket.send(subscribe("u", session, sessionToken("someone-else", session, 3600)));
      JsonObject otherUser = error(socket, "u");
      assertEquals("forbidden", otherUser.getString("code"));
      assertEquals("the session token is for another user", otherUser.getString("message"));
      socket.send(subscribe("s", session, sessionToken("bea", "doc:another", 3600)));
      assertEquals("the session token is for another session", error(socket, "s").getString("message"));
      socket.send(subscribe("x", session, sessionToken("bea", session, -60)));
      JsonObject expired = error(socket, "x");
      assertEquals("unauthorized", expired.getString("code"));
      assertEquals("token expired", expired.getString("message"));
    }
    try (WsClient asConnection = node.connect("", sessionToken("bea", session, 3600))) {
      assertEquals(4001, asConnection.awaitClose());
      assertEquals("a session token cannot authenticate a connection", asConnection.socket().closeReason());
    }
  }

  @Test
  void onWebSocketExpiryEndsOnlyThatSubscription() {
    String granted = "doc:ws-expiring";
    String own = "open-ws-own";
    try (WsClient socket = node.connect("sessionId=" + own, connectionToken("cai"))) {
      socket.next("connected");
      socket.send(subscribe("g", granted, sessionToken("cai", granted, 2)));
      socket.next("replayed");
      JsonObject unsubscribed = socket.next("unsubscribed");
      assertEquals(new JsonObject().put("type", "unsubscribed").put("sessionId", granted).put("code", "unauthorized")
          .put("message", "session token expired"), unsubscribed);

      node.publish(BACKEND, granted, new JsonObject().put("n", 1));
      node.publish(BACKEND, own, new JsonObject().put("n", 2));
      assertEquals(own, socket.next("event").getString("sessionId"), "nothing of the ended session follows");
      assertFalse(socket.isClosed());
    }
  }

  @Test
  void onWebSocketAFreshSessionTokenKeepsTheSubscriptionWithoutAGap() throws Exception {
    String session = "doc:ws-refreshed";
    try (WsClient socket = node.connect("", connectionToken("dan"))) {
      socket.next("connected");
      long shortExp = System.currentTimeMillis() / 1000 + 3;
      socket.send(subscribe("g", session, TestTokens.hs256(TestTokens.SECRET, grant("dan", session)
          .put("exp", shortExp))));
      socket.next("replayed");
      long first = node.publish(BACKEND, session, new JsonObject().put("n", 1));
      assertEquals(String.valueOf(first), socket.next("event").getString("eventId"));

      socket.send(subscribe("r", session, sessionToken("dan", session, 3600)));
      while (System.currentTimeMillis() < shortExp * 1000 + 1000) {
        Thread.sleep(100);
      }
      long second = node.publish(BACKEND, session, new JsonObject().put("n", 2));
      JsonObject frame;
      do {
        frame = socket.next();
        assertNotEquals("unsubscribed", frame.getString("type"), frame.encode());
        assertNotEquals("error", frame.getString("type"), frame.encode());
      } while (!"event".equals(frame.getString("type")));
      assertEquals(first + 1, second);
      assertEquals(String.valueOf(second), frame.getString("eventId"));
    }
  }

  @Test
  void anSseStreamCarriesAGrantedSessionUntilItsTokenExpires() {
    String granted = "doc:sse-expiring";
    String own = "open-sse-own";
    String query = "/events?sessionId=" + granted + "&sessionId=" + own + "&access_token=" + connectionToken("eve");
    HttpResponse<Buffer> refused = sseRefusal(query);
    assertEquals(403, refused.statusCode());
    assertEquals(new JsonArray().add(granted), refused.bodyAsJsonObject().getJsonObject("error")
        .getJsonArray("sessionIds"));
    assertEquals(403, sseRefusal(query + "&sessionToken=" + sessionToken("not-eve", granted, 3600)).statusCode());

    try (SseClient stream = SseClient.open(node, query + "&sessionToken=" + sessionToken("eve", granted, 2),
        Map.of())) {
      stream.next("connected");
      node.publish(BACKEND, granted, new JsonObject().put("n", 1));
      assertEquals(granted, stream.next("event").getString("sessionId"));
      JsonObject unsubscribed = stream.next("unsubscribed");
      assertEquals(granted, unsubscribed.getString("sessionId"));
      assertEquals("session token expired", unsubscribed.getString("message"));

      node.publish(BACKEND, granted, new JsonObject().put("n", 2));
      node.publish(BACKEND, own, new JsonObject().put("n", 3));
      assertEquals(own, stream.next("event").getString("sessionId"), "the stream goes on with its other session");
    }
  }

  @Test
  void aLongPollChecksItsSessionTokenWhenItArrives() {
    String session = "doc:poll-granted";
    String poll = "/poll?sessionId=" + session + "&timeoutMs=0";
    String token = connectionToken("fay");
    HttpResponse<Buffer> refused = node.get(poll, token);
    assertEquals(403, refused.statusCode());
    assertEquals(403, node.get(poll + "&sessionToken=" + sessionToken("gil", session, 3600), token).statusCode());
    assertEquals(403, node.get(poll + "&sessionToken=" + sessionToken("fay", "doc:other", 3600), token)
        .statusCode());
    assertEquals(403, node.get(poll + "&sessionToken=" + sessionToken("fay", session, -5), token).statusCode(),
        "past its exp, even within the leeway");

    String granted = poll + "&sessionToken=" + sessionToken("fay", "doc:other", 3600) + "&sessionToken="
        + sessionToken("fay", session, 3600);
    HttpResponse<Buffer> head = node.get(granted, token);
    assertEquals(200, head.statusCode(), head.bodyAsString());
    long published = node.publish(BACKEND, session, new JsonObject().put("n", 1));
    HttpResponse<Buffer> events = node.get(granted.replace("timeoutMs=0", "timeoutMs=10000") + "&fromEventId="
        + head.bodyAsJsonObject().getString("lastEventId"), token);
    assertEquals(200, events.statusCode());
    assertEquals(String.valueOf(published), events.bodyAsJsonObject().getString("lastEventId"));
  }

  /** A user's connection token: it allows {@code open-*} only. */
  private static String connectionToken(String sub) {
    return TestTokens.user(sub, List.of("open-*"), List.of());
  }

  private static JsonObject grant(String sub, String session) {
    return new JsonObject().put("sub", sub).put("session", session);
  }

  /** A session token of {@code sub} for {@code session}, expiring in {@code ttlSec} (negative: in the past). */
  private static String sessionToken(String sub, String session, long ttlSec) {
    return TestTokens.hs256(TestTokens.SECRET, grant(sub, session)
        .put("exp", System.currentTimeMillis() / 1000 + ttlSec));
  }

  private static JsonObject subscribe(String requestId, String session, String token) {
    JsonObject frame = new JsonObject().put("type", "subscribe").put("requestId", requestId).put("sessionId", session);
    return token == null ? frame : frame.put("token", token);
  }

  private static JsonObject publish(String requestId, String session) {
    return new JsonObject().put("type", "publish").put("requestId", requestId).put("sessionId", session)
        .put("eventType", "edit").put("payload", new JsonObject().put("n", 1));
  }

  private static JsonObject error(WsClient socket, String requestId) {
    JsonObject error = socket.next("error");
    assertEquals(requestId, error.getString("requestId"));
    return error;
  }

  private static HttpResponse<Buffer> sseRefusal(String query) {
    return TestNode.send(node.http.get(query).putHeader("Accept", "text/event-stream"), null);
  }
}
