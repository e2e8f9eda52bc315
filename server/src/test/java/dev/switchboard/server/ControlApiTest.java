package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control API on one node (docs/PROTOCOL.md, Control API): an operator with the server API key disconnects a
 * user, unsubscribes them from a session, revokes a token, and counts a session's subscribers, on every transport;
 * nobody else is touched. The cluster-wide reach is in {@code cluster.ClusterTest}.
 */
class ControlApiTest {

  private static final String KEY = "operator-key-0123456789";
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("SB_API_KEY", KEY));

  @Test
  void onlyTheServerApiKeyMayGiveOrders() {
    String token = TestTokens.user("ada", List.of("*"), List.of("*"));
    HttpResponse<Buffer> withToken = node.post("/admin/users/ada/disconnect", token, new JsonObject());
    assertEquals(401, withToken.statusCode());
    assertEquals("the control API needs the server API key (X-Api-Key)", message(withToken));
    assertEquals(401, withKey(HttpMethod.POST, "/admin/users/ada/disconnect", "wrong", new JsonObject()).statusCode());
    assertEquals(401, withKey(HttpMethod.GET, "/admin/sessions/s/subscribers", null, null).statusCode());
  }

  @Test
  void badOrdersAreRefusedWithTheirShape() {
    assertEquals(400, withKey(HttpMethod.POST, "/admin/users/ada/disconnect", KEY,
        new JsonObject().put("reason", "x".repeat(81))).statusCode());
    assertEquals(400, withKey(HttpMethod.POST, "/admin/users/ada/disconnect", KEY,
        new JsonObject().put("reconnect", "no")).statusCode());
    assertEquals(400, withKey(HttpMethod.POST, "/admin/users/ada/disconnect", KEY,
        new JsonObject().put("reason", "line\nbreak")).statusCode());
    assertEquals(400, withKey(HttpMethod.POST, "/admin/tokens/revoke", KEY, new JsonObject().put("jti", "j"))
        .statusCode());
    assertEquals(400, withKey(HttpMethod.POST, "/admin/users/ada/sessions/bad%20id/unsubscribe", KEY, null)
        .statusCode());
  }

  @Test
  void aDisconnectEndsEveryConnectionOfTheUserOnEveryTransportAndNobodyElses() throws Exception {
    String session = "ctl-disconnect";
    String ada = TestTokens.user("ada", List.of("*"), List.of("*"));
    String bob = TestTokens.user("bob", List.of("*"), List.of("*"));
    try (WsClient adaSocket = node.connect("sessionId=" + session, ada);
         WsClient bobSocket = node.connect("sessionId=" + session, bob);
         SseClient adaStream = SseClient.open(node, "/events?sessionId=" + session + "&access_token=" + ada,
             Map.of())) {
      adaSocket.next("connected");
      bobSocket.next("connected");
      adaStream.next("connected");
      CompletableFuture<HttpResponse<Buffer>> adaPoll = waitingPoll(session, ada);
      awaitSubscribers(session, 4);

      assertEquals(202, withKey(HttpMethod.POST, "/admin/users/ada/disconnect", KEY,
          new JsonObject().put("reconnect", false).put("reason", "account suspended")).statusCode());
      assertEquals(4010, adaSocket.awaitClose());
      assertEquals("disconnected by an operator: account suspended", adaSocket.socket().closeReason());
      JsonObject last = adaStream.next("error");
      assertEquals("forbidden", last.getString("code"));
      assertEquals("disconnected by an operator: account suspended", last.getString("message"));
      HttpResponse<Buffer> polled = adaPoll.get(15, TimeUnit.SECONDS);
      assertEquals(403, polled.statusCode());
      assertEquals("disconnected by an operator: account suspended", message(polled));

      node.publish(bob, session, new JsonObject().put("after", true));
      assertTrue(bobSocket.next("event").getJsonObject("payload").getBoolean("after"), "bob stays subscribed");
      assertFalse(bobSocket.isClosed());
    }
  }

  @Test
  void aDisconnectThatAllowsReconnectingCloses4011() throws Exception {
    String carol = TestTokens.user("carol", List.of("*"), List.of("*"));
    try (WsClient socket = node.connect("sessionId=ctl-again", carol)) {
      socket.next("connected");
      awaitSubscribers("ctl-again", 1);
      assertEquals(202, withKey(HttpMethod.POST, "/admin/users/carol/disconnect", KEY, null).statusCode());
      assertEquals(4011, socket.awaitClose());
      assertEquals("disconnected by an operator: reconnect and resume", socket.socket().closeReason());
    }
    try (WsClient again = node.connect("sessionId=ctl-again", carol)) {
      again.next("connected");
    }
  }

  @Test
  void aRevokedTokenIsRefusedAndItsConnectionsEndWhileTheUsersOtherTokensWork() throws Exception {
    String session = "ctl-revoke";
    JsonObject claims = TestTokens.claims("dave", List.of("*"), List.of("*"), 3600)
        .put("jti", UUID.randomUUID().toString());
    String revoked = TestTokens.hs256(TestTokens.SECRET, claims);
    String other = TestTokens.hs256(TestTokens.SECRET, TestTokens.claims("dave", List.of("*"), List.of("*"), 3600)
        .put("jti", UUID.randomUUID().toString()));
    try (WsClient socket = node.connect("sessionId=" + session, revoked);
         WsClient otherSocket = node.connect("sessionId=" + session, other);
         SseClient stream = SseClient.open(node, "/events?sessionId=" + session + "&access_token=" + revoked,
             Map.of())) {
      socket.next("connected");
      otherSocket.next("connected");
      stream.next("connected");
      awaitSubscribers(session, 3);
      assertEquals(204, withKey(HttpMethod.POST, "/admin/tokens/revoke", KEY, new JsonObject()
          .put("jti", claims.getString("jti")).put("exp", claims.getLong("exp"))).statusCode());
      assertEquals(4001, socket.awaitClose());
      assertEquals("token revoked", socket.socket().closeReason());
      assertEquals("token revoked", stream.next("error").getString("message"));

      HttpResponse<Buffer> refused = node.get("/sessions/" + session + "/events", revoked);
      assertEquals(401, refused.statusCode());
      assertEquals("token revoked", message(refused));
      try (WsClient again = node.connect("sessionId=" + session, revoked)) {
        assertEquals(4001, again.awaitClose());
      }
      assertEquals(200, node.get("/sessions/" + session + "/events", other).statusCode());
      assertFalse(otherSocket.isClosed(), "the user's other token is not revoked");
    }
  }

  @Test
  void anUnsubscribeEndsOneSessionAndTheConnectionGoesOnWithItsOthers() throws Exception {
    String gone = "ctl-gone";
    String kept = "ctl-kept";
    String erin = TestTokens.user("erin", List.of("*"), List.of("*"));
    try (WsClient socket = node.connect("sessionId=" + gone, erin);
         SseClient stream = SseClient.open(node, "/events?sessionId=" + gone + "&sessionId=" + kept
             + "&access_token=" + erin, Map.of())) {
      socket.next("connected");
      socket.send(new JsonObject().put("type", "subscribe").put("sessionId", kept).put("requestId", "k"));
      stream.next("connected");
      CompletableFuture<HttpResponse<Buffer>> poll = waitingPoll(gone, erin);
      awaitSubscribers(gone, 3);
      awaitSubscribers(kept, 2);

      assertEquals(202, withKey(HttpMethod.POST, "/admin/users/erin/sessions/" + gone + "/unsubscribe", KEY, null)
          .statusCode());
      for (FrameSource source : List.<FrameSource>of(socket, stream)) {
        JsonObject unsubscribed = source.next("unsubscribed");
        assertEquals(gone, unsubscribed.getString("sessionId"));
        assertEquals("unsubscribed by an operator", unsubscribed.getString("message"));
      }
      HttpResponse<Buffer> polled = poll.get(15, TimeUnit.SECONDS);
      assertEquals(403, polled.statusCode());
      assertEquals(gone, polled.bodyAsJsonObject().getJsonObject("error").getJsonArray("sessionIds").getString(0));
      awaitSubscribers(gone, 0);

      node.publish(erin, gone, new JsonObject().put("n", 1));
      node.publish(erin, kept, new JsonObject().put("n", 2));
      for (FrameSource source : List.<FrameSource>of(socket, stream)) {
        JsonObject event = source.next("event");
        assertEquals(kept, event.getString("sessionId"), "nothing of the ended session follows");
      }
    }
  }

  /** A long poll of {@code session} from its head, waiting (20 s) on another thread. */
  private static CompletableFuture<HttpResponse<Buffer>> waitingPoll(String session, String token) {
    String head = node.get("/poll?sessionId=" + session + "&timeoutMs=0", token).bodyAsJsonObject()
        .getString("lastEventId");
    return CompletableFuture.supplyAsync(() -> node.get("/poll?sessionId=" + session + "&timeoutMs=20000&fromEventId="
        + head, token));
  }

  /** Waits until the node counts {@code expected} subscribers of {@code session} (through the control API). */
  private static void awaitSubscribers(String session, int expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 15_000;
    int count = -1;
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<Buffer> answer = withKey(HttpMethod.GET, "/admin/sessions/" + session + "/subscribers", KEY, null);
      assertEquals(200, answer.statusCode(), answer.bodyAsString());
      count = answer.bodyAsJsonObject().getInteger("subscribers");
      if (count == expected) {
        assertEquals(1, answer.bodyAsJsonObject().getInteger("nodes"));
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(session + " has " + count + " subscribers, not " + expected);
  }

  private static HttpResponse<Buffer> withKey(HttpMethod method, String path, String key, JsonObject body) {
    var request = node.http.request(method, path);
    if (key != null) {
      request.putHeader("X-Api-Key", key);
    }
    return TestNode.send(request, body == null ? null : body.toBuffer());
  }

  private static String message(HttpResponse<Buffer> answer) {
    return answer.bodyAsJsonObject().getJsonObject("error").getString("message");
  }
}
