package dev.switchboard.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket frames of docs/PROTOCOL.md (WebSocket, Frames) on one node: connect, publish with ack, subscribe,
 * auth, ping.
 */
class WebSocketProtocolTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();
  private static final String ALICE = TestTokens.user("alice", List.of("*"), List.of("*"));

  @Test
  void connectedComesFirstWithTheUserAndHeartbeat() {
    try (WsClient client = node.connect("sessionId=proto-connected&access_token=" + ALICE)) {
      JsonObject connected = client.next();
      assertEquals("connected", connected.getString("type"));
      assertEquals("alice", connected.getString("userId"));
      assertEquals(5, connected.getInteger("heartbeatSec"));
      assertNotNull(connected.getString("connectionId"));
      assertEquals("0", client.next("replayed").getString("lastEventId"));
      JsonObject state = client.next("presence.state");
      assertEquals("proto-connected", state.getString("sessionId"));
      assertEquals("alice", state.getJsonArray("users").getJsonObject(0).getString("userId"));
    }
  }

  @Test
  void publishIsAcknowledgedWithItsEventIdAndEchoedAsAnEvent() {
    try (WsClient client = node.connect("sessionId=proto-publish", ALICE)) {
      client.next("connected");
      client.send(new JsonObject().put("type", "publish").put("requestId", "r1").put("eventType", "chat.message")
          .put("payload", new JsonObject().put("text", "hi")));
      JsonObject ack = client.next("ack");
      assertEquals("r1", ack.getString("requestId"));
      assertEquals("1", ack.getString("eventId"));
      JsonObject event = client.next("event");
      assertEquals("1", event.getString("eventId"));
      assertEquals("chat.message", event.getString("eventType"));
      assertEquals("proto-publish", event.getString("sessionId"));
      assertEquals("alice", event.getString("userId"));
      assertEquals(new JsonObject().put("text", "hi"), event.getJsonObject("payload"));
      assertEquals(ack.getString("timestamp"), event.getString("timestamp"));
      assertTrue(event.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    }
  }

  @Test
  void aRepeatedIdempotencyKeyIsAckedWithTheOriginalAndSaysSo() {
    try (WsClient client = node.connect("sessionId=proto-repeat", ALICE)) {
      client.next("connected");
      JsonObject publish = new JsonObject().put("type", "publish").put("eventType", "vote")
          .put("payload", new JsonObject().put("option", 1)).put("idempotencyKey", "vote:q1");
      client.send(publish.copy().put("requestId", "first"));
      JsonObject first = client.next("ack");
      assertEquals(null, first.getValue("duplicate"), "a first publish's ack has no duplicate field");
      client.send(publish.copy().put("requestId", "again").put("payload", new JsonObject().put("option", 2)));
      JsonObject again = client.next("ack");
      assertEquals("again", again.getString("requestId"));
      assertEquals(true, again.getBoolean("duplicate"));
      assertEquals(first.getString("eventId"), again.getString("eventId"));
      assertEquals(first.getString("timestamp"), again.getString("timestamp"));
    }
  }

  @Test
  void subscribeAndUnsubscribeFramesManageMoreSessionsOnOneSocket() {
    node.publish(ALICE, "proto-b", new JsonObject().put("n", 1));
    try (WsClient client = node.connect("sessionId=proto-a", ALICE)) {
      client.next("connected");
      client.send(new JsonObject().put("type", "subscribe").put("sessionId", "proto-b").put("fromEventId", "0"));
      JsonObject replayed = client.next("event");
      assertEquals("proto-b", replayed.getString("sessionId"));
      assertEquals("1", client.next("replayed").getString("lastEventId"));
      node.publish(ALICE, "proto-a", new JsonObject());
      assertEquals("proto-a", client.next("event").getString("sessionId"));
      client.send(new JsonObject().put("type", "unsubscribe").put("sessionId", "proto-b"));
      client.send(new JsonObject().put("type", "ping"));
      client.next("pong");
      node.publish(ALICE, "proto-b", new JsonObject());
      node.publish(ALICE, "proto-a", new JsonObject());
      JsonObject next = client.next("event");
      assertEquals("proto-a", next.getString("sessionId"), "no event of an unsubscribed session");
    }
  }

  @Test
  void aSocketWithoutATokenAuthenticatesWithItsFirstFrame() {
    try (WsClient client = node.connect("sessionId=proto-auth")) {
      client.send(new JsonObject().put("type", "auth").put("token", ALICE));
      assertEquals("alice", client.next("connected").getString("userId"));
    }
  }

  @Test
  void aRefreshedTokenKeepsTheSocketOpenPastTheFirstExpiry() throws Exception {
    String shortLived = TestTokens.hs256(TestTokens.SECRET,
        TestTokens.claims("alice", List.of("*"), List.of("*"), 2));
    try (WsClient client = node.connect("sessionId=proto-refresh", shortLived)) {
      client.next("connected");
      client.send(new JsonObject().put("type", "auth").put("token", ALICE));
      Thread.sleep(3_000);
      client.send(new JsonObject().put("type", "ping"));
      client.next("pong");
      assertTrue(!client.isClosed());
    }
  }

  @Test
  void aRefreshWithFewerRightsEndsTheSessionsItNoLongerAllowsAtOnce() throws Exception {
    try (WsClient client = node.connect("sessionId=narrow-kept", ALICE)) {
      client.next("connected");
      client.send(new JsonObject().put("type", "subscribe").put("sessionId", "narrow-lost"));
      client.next("replayed");
      client.next("replayed");
      client.send(new JsonObject().put("type", "auth")
          .put("token", TestTokens.user("alice", List.of("narrow-kept"), List.of("*"))));
      JsonObject ended = client.next("unsubscribed");
      assertEquals("narrow-lost", ended.getString("sessionId"));
      assertEquals("forbidden", ended.getString("code"));
      node.publish(ALICE, "narrow-lost", new JsonObject().put("n", 1));
      node.publish(ALICE, "narrow-kept", new JsonObject().put("n", 2));
      JsonObject event = client.next("event");
      assertEquals("narrow-kept", event.getString("sessionId"), "nothing of the ended session follows");
      DrainTest.until(() -> node.get("/sessions/narrow-lost/presence", ALICE).bodyAsJsonObject()
          .getInteger("count") == 0, "the user left the session");
    }
  }

  @Test
  void aShortLivedTokenClosesTheSocketWith4001AtExpiry() {
    String shortLived = TestTokens.hs256(TestTokens.SECRET,
        TestTokens.claims("alice", List.of("*"), List.of("*"), 1));
    try (WsClient client = node.connect("sessionId=proto-expiry", shortLived)) {
      client.next("connected");
      assertEquals(4001, client.awaitClose());
    }
  }

  @Test
  void aRefreshForAnotherUserIsRefusedAndTheOldTokenStays() {
    try (WsClient client = node.connect("sessionId=proto-other", ALICE)) {
      client.next("connected");
      client.send(new JsonObject().put("type", "auth").put("requestId", 7)
          .put("token", TestTokens.user("mallory", List.of("*"), List.of("*"))));
      JsonObject error = client.next("error");
      assertEquals("forbidden", error.getString("code"));
      assertEquals(7, error.getInteger("requestId"));
      client.send(new JsonObject().put("type", "publish").put("requestId", "r").put("eventType", "t")
          .put("payload", 1));
      assertEquals("alice", client.next("event").getString("userId"));
    }
  }

  @Test
  void pingIsAnsweredWithPong() {
    try (WsClient client = node.connect("access_token=" + ALICE)) {
      assertEquals("connected", client.next().getString("type"), "a socket with no session is connected at once");
      client.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", client.next().getString("type"));
    }
  }

  @Test
  void signalsReachTheOtherSubscribersButNotTheSender() {
    String bob = TestTokens.user("bob", List.of("*"), List.of("*"));
    try (WsClient a = node.connect("sessionId=proto-signal", ALICE);
         WsClient b = node.connect("sessionId=proto-signal", bob)) {
      a.next("connected");
      b.next("connected");
      a.next("presence.state");
      b.next("presence.state");
      a.send(new JsonObject().put("type", "signal").put("eventType", "cursor")
          .put("payload", new JsonObject().put("x", 3)));
      JsonObject signal = b.next("signal");
      assertEquals("alice", signal.getString("userId"));
      assertEquals("cursor", signal.getString("eventType"));
      assertEquals(3, signal.getJsonObject("payload").getInteger("x"));
      a.send(new JsonObject().put("type", "ping"));
      JsonObject frame;
      while (!"pong".equals((frame = a.next()).getString("type"))) {
        assertTrue(!"signal".equals(frame.getString("type")), "the sender does not get its own signal");
      }
    }
  }

  @Test
  void presenceAnnouncesAUserOnceHoweverManyTabsTheyOpen() {
    String bob = TestTokens.user("bob", List.of("*"), List.of("*"));
    try (WsClient watcher = node.connect("sessionId=proto-presence", ALICE)) {
      PresenceView view = new PresenceView(watcher, "proto-presence").until(v -> v.present().contains("alice"),
          "Alice present");
      WsClient tab1 = node.connect("sessionId=proto-presence", bob);
      view.until(v -> v.present().contains("bob"), "Bob joins");
      JsonArray joins = view.diffs().get(view.diffs().size() - 1).getJsonArray("joins");
      assertEquals(new JsonObject().put("userId", "bob").put("name", "Name of bob").put("actorType", "participant"),
          joins.getJsonObject(joins.size() - 1), "Bob, the last to join, as his token names him");
      JsonObject bobState = tab1.next("presence.state");
      assertEquals(2, bobState.getJsonArray("users").size());
      WsClient tab2 = node.connect("sessionId=proto-presence", bob);
      tab2.next("presence.state");
      tab1.close();
      watcher.send(new JsonObject().put("type", "presence").put("sessionId", "proto-presence"));
      JsonObject state = watcher.next("presence.state");
      assertEquals(2, state.getJsonArray("users").size(), "bob is still here with one tab");
      tab2.close();
      view.until(v -> !v.present().contains("bob"), "Bob leaves with his last tab");
      assertEquals(List.of(1L, 1L), List.of(view.named("joins", "bob"), view.named("leaves", "bob")),
          "one join and one leave, not one per tab");
      assertEquals(1, view.count());
    }
  }
}
