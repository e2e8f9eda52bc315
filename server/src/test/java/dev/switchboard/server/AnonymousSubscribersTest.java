package dev.switchboard.server;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anonymous read-only subscribers (docs/PROTOCOL.md, Namespaces: {@code anonymous}): without a token, a WebSocket, an
 * SSE stream or a long poll subscribes to sessions of namespaces that allow it and nowhere else, cannot publish or
 * signal, and is told how many are present but never who. Presence counts anonymous subscribers by the actor type
 * each declared, for everyone, and never lists them.
 */
class AnonymousSubscribersTest {

  private static final String ADA = TestTokens.user("ada", List.of("*"), List.of("*"));
  private static final String BOB = TestTokens.user("bob", List.of("*"), List.of("*"));

  @RegisterExtension
  static final TestNode node = TestNode.perClass(new JsonObject().put("namespaces", new JsonObject()
      .put("poll", new JsonObject().put("anonymous", true))
      .put("tv", new JsonObject().put("anonymous", true))
      .put("doc", new JsonObject())), Map.of());

  @Test
  void aWebSocketWithoutATokenReadsAnonymousNamespacesOnly() {
    try (WsClient display = node.connect("sessionId=poll:1&actorType=display")) {
      JsonObject connected = display.next("connected");
      assertNull(connected.getValue("userId"), "no user");
      node.publish(ADA, "poll:1", new JsonObject().put("n", 1));
      assertEquals(1, display.next("event").getJsonObject("payload").getInteger("n"));
      display.send(new JsonObject().put("type", "subscribe").put("requestId", "s1").put("sessionId", "tv:1"));
      node.publish(ADA, "tv:1", new JsonObject().put("n", 2));
      assertEquals(2, display.next("event").getJsonObject("payload").getInteger("n"), "another anonymous namespace");
      display.send(new JsonObject().put("type", "subscribe").put("requestId", "s2").put("sessionId", "doc:1"));
      JsonObject refused = display.next("error");
      assertEquals("s2", refused.getString("requestId"));
      assertEquals("forbidden", refused.getString("code"));
    }
    try (WsClient elsewhere = node.connect("sessionId=doc:1")) {
      assertEquals(4001, elsewhere.awaitClose(), "not anonymous: it must authenticate");
    }
    try (WsClient badType = node.connect("sessionId=poll:1&actorType=Not%20a%20type")) {
      assertEquals(1008, badType.awaitClose());
    }
  }

  @Test
  void sseStreamsAndLongPollsWithoutATokenReadAnonymousNamespacesOnly() {
    SseClient stream = SseClient.open(node, "/events?sessionId=poll:2&sessionId=tv:2&actorType=display", Map.of());
    try {
      stream.next("connected");
      node.publish(ADA, "tv:2", new JsonObject().put("n", 3));
      assertEquals(3, stream.next("event").getJsonObject("payload").getInteger("n"));
    } finally {
      stream.close();
    }
    SseClient mixed = SseClient.open(node, "/events?sessionId=poll:2&sessionId=doc:2", Map.of());
    assertEquals(401, mixed.response.statusCode(), "one session outside the anonymous namespaces refuses the stream");
    mixed.close();
    assertEquals(200, node.get("/poll?sessionId=poll:3&timeoutMs=0", null).statusCode());
    assertEquals(401, node.get("/poll?sessionId=doc:3&timeoutMs=0", null).statusCode());
    assertEquals(401, node.get("/sessions/poll:3/events", null).statusCode(), "REST calls need a token");
    assertEquals(401, node.get("/sessions/poll:3/presence", null).statusCode());
  }

  @Test
  void anAnonymousSubscriberCannotPublishOrSignal() {
    try (WsClient display = node.connect("sessionId=poll:5")) {
      display.next("connected");
      display.send(new JsonObject().put("type", "publish").put("requestId", "p").put("sessionId", "poll:5")
          .put("eventType", "vote").put("payload", 1));
      JsonObject publish = display.next("error");
      assertEquals("forbidden", publish.getString("code"));
      assertEquals("anonymous subscribers only read: connect with a token to publish or send signals",
          publish.getString("message"));
      display.send(new JsonObject().put("type", "signal").put("requestId", "g").put("sessionId", "poll:5")
          .put("eventType", "cursor").put("payload", 1));
      JsonObject signal = display.next("error");
      assertEquals("g", signal.getString("requestId"));
      assertEquals("forbidden", signal.getString("code"));
    }
  }

  @Test
  void anAnonymousSubscriberIsToldHowManyArePresentButNeverWho() {
    try (WsClient ada = node.connect("sessionId=poll:6", ADA)) {
      ada.next("connected");
      assertEquals(1, ada.next("presence.state").getInteger("count"));
      try (WsClient display = node.connect("sessionId=poll:6&actorType=display")) {
        JsonObject state = display.next("presence.state");
        assertEquals(1, state.getInteger("count"));
        assertTrue(state.getJsonArray("users").isEmpty(), "no identities: " + state);
        try (WsClient bob = node.connect("sessionId=poll:6", BOB)) {
          bob.next("connected");
          JsonObject seen = ada.next("presence.diff");
          while (!seen.encode().contains("bob")) {
            seen = ada.next("presence.diff");
          }
          assertTrue(seen.getJsonArray("joins").stream().anyMatch(user -> "bob".equals(((JsonObject) user)
              .getString("userId"))), "a user sees who: " + seen);
          JsonObject counted = display.next("presence.diff");
          while (counted.getInteger("count") < 2) {
            assertFalse(counted.containsKey("joins"), "no identities: " + counted);
            counted = display.next("presence.diff");
          }
          assertTrue(counted.getInteger("joined") >= 1, "bob, and ada when her join was in the same batch");
          assertFalse(counted.containsKey("joins") || counted.encode().contains("bob"), "no identities: " + counted);
          bob.send(new JsonObject().put("type", "signal").put("sessionId", "poll:6").put("eventType", "cursor")
              .put("payload", 1));
          assertEquals("bob", ada.next("signal").getString("userId"));
          display.send(new JsonObject().put("type", "presence").put("requestId", "q").put("sessionId", "poll:6"));
          JsonObject asked = display.next("presence.state");
          assertEquals(2, asked.getInteger("count"));
          assertTrue(asked.getJsonArray("users").isEmpty(), "no identities: " + asked);
          JsonObject next = display.poll(300);
          assertTrue(next == null || !"signal".equals(next.getString("type")), "signals name their sender: " + next);
        }
      }
    }
  }

  @Test
  void presenceCountsAnonymousSubscribersByTypeAndNeverListsThem() {
    try (WsClient ada = node.connect("sessionId=poll:7", ADA)) {
      ada.next("connected");
      assertEquals(new JsonObject(), ada.next("presence.state").getJsonObject("anonymous"), "nobody anonymous yet");
      try (WsClient display = node.connect("sessionId=poll:7&actorType=display");
           WsClient watcher = node.connect("sessionId=poll:7")) {
        JsonObject own = display.next("presence.state");
        assertTrue(own.getJsonArray("users").isEmpty() && own.getInteger("count") == 1, "no identities: " + own);
        assertTrue(own.getJsonObject("anonymous").getInteger("display") >= 1, "counts itself: " + own);
        watcher.next("presence.state");
        SseClient screen = SseClient.open(node, "/events?sessionId=poll:7&actorType=display", Map.of());
        try {
          JsonObject three = new JsonObject().put("display", 2).put("anonymous", 1);
          untilCounts(ada, three);
          assertEquals(three, presencePage("poll:7"));
          untilCounts(screen, three);
          display.send(new JsonObject().put("type", "presence").put("requestId", "q").put("sessionId", "poll:7"));
          JsonObject asked = display.next("presence.state");
          assertEquals(three, asked.getJsonObject("anonymous"));
          assertTrue(asked.getJsonArray("users").isEmpty(), "no identities: " + asked);

          display.close();
          JsonObject two = new JsonObject().put("display", 1).put("anonymous", 1);
          untilCounts(ada, two);
          untilCounts(screen, two);
          assertEquals(two, presencePage("poll:7"));
        } finally {
          screen.close();
        }
      }
      assertEquals(new JsonObject(), untilCounts(ada, new JsonObject()).getJsonObject("anonymous"), "all gone");
    }
  }

  /**
   * Reads {@code presence.diff} frames until one says {@code counts} of anonymous subscribers; none of them names an
   * anonymous subscriber or counts one as a user (ada is the only user, and only her own join is ever listed).
   */
  private static JsonObject untilCounts(FrameSource source, JsonObject counts) {
    while (true) {
      JsonObject diff = source.next("presence.diff");
      assertEquals(1, diff.getInteger("count"), "anonymous subscribers are not users: " + diff);
      for (String list : List.of("joins", "leaves")) {
        if (diff.containsKey(list)) {
          diff.getJsonArray(list).forEach(user -> assertEquals("ada", ((JsonObject) user).getString("userId"),
              "only users are listed: " + diff));
        }
      }
      if (counts.equals(diff.getJsonObject("anonymous"))) {
        return diff;
      }
    }
  }

  /** A user's REST page of a session's presence: ada alone is listed; the anonymous counts are returned. */
  private static JsonObject presencePage(String sessionId) {
    JsonObject page = node.get("/sessions/" + sessionId + "/presence", ADA).bodyAsJsonObject();
    assertEquals(1, page.getInteger("count"), "anonymous subscribers are not users: " + page);
    assertEquals(1, page.getJsonArray("users").size(), "only users are listed: " + page);
    assertEquals("ada", page.getJsonArray("users").getJsonObject(0).getString("userId"));
    return page.getJsonObject("anonymous");
  }
}
