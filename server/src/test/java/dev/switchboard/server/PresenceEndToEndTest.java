package dev.switchboard.server;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceUpdate;
import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.protocol.TcpProxy;
import dev.switchboard.protocol.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Presence end to end: dead nodes, long polls, paging, and a Redis outage that must not stop events. */
class PresenceEndToEndTest {

  private static final String ALICE = TestTokens.user("alice", List.of("*"), List.of("*"));
  private static final String BOB = TestTokens.user("bob", List.of("*"), List.of("*"));
  private static final String CAROL = TestTokens.user("carol", List.of("*"), List.of("*"));
  /** Short enough for a test to wait through, long enough that a busy machine never misses a heartbeat by a TTL. */
  private static final Map<String, String> FAST_PRESENCE = Map.of("SB_PRESENCE_HEARTBEAT", "300ms",
      "SB_PRESENCE_TTL", "3s");

  @Test
  void theUsersOfANodeWhoseHeartbeatsStoppedAreAnnouncedAsLeavingWhileLiveOnesStay() {
    try (TestNode node = TestNode.start(FAST_PRESENCE);
         WsClient alice = node.connect("sessionId=e2e-dead-node", ALICE)) {
      PresenceView view = new PresenceView(alice, "e2e-dead-node").until(present("alice"), "Alice present");
      // Another edge announces Bob and then dies without a word: nothing refreshes its connection again.
      node.vertx.eventBus().send(Addresses.PRESENCE_UPDATE, new PresenceUpdate(PresenceAction.JOIN, "e2e-dead-node",
          "dead-node", "c1", new PresenceUser("bob", "Bob", null)));
      view.until(present("alice", "bob"), "Bob joins");

      view.until(present("alice"), "Bob leaves once his node's connection expires");
      JsonObject state = askPresence(alice, "e2e-dead-node");
      assertEquals(List.of("alice"), userIds(state.getJsonArray("users")),
          "Alice's edge kept her present past the TTL that removed Bob");
      assertEquals(1, state.getInteger("count"));
    }
  }

  @Test
  void aLongPollingUserIsPresentWhileTheyKeepPollingAndLeavesAfterTheGrace() {
    Map<String, String> env = Map.of("SB_POLL_PRESENCE_GRACE", "2s");
    try (TestNode node = TestNode.start(env);
         WsClient alice = node.connect("sessionId=e2e-poll", ALICE)) {
      PresenceView view = new PresenceView(alice, "e2e-poll").until(present("alice"), "Alice present");
      Future<HttpResponse<Buffer>> firstPoll = poll(node, BOB, "e2e-poll", 0);
      view.until(present("alice", "bob"), "Bob joins with his first poll");
      assertEquals(Set.of("alice", "bob"), new HashSet<>(userIds(node.get("/sessions/e2e-poll/presence", ALICE)
          .bodyAsJsonObject().getJsonArray("users"))));

      node.publish(ALICE, "e2e-poll", new JsonObject().put("n", 1));
      assertEquals(1, await(firstPoll).bodyAsJsonObject().getJsonArray("events").size());
      Future<HttpResponse<Buffer>> secondPoll = poll(node, BOB, "e2e-poll", 1);
      node.publish(ALICE, "e2e-poll", new JsonObject().put("n", 2));
      assertEquals(1, await(secondPoll).bodyAsJsonObject().getJsonArray("events").size());

      List<String> seen = new ArrayList<>();
      JsonObject frame;
      while (!"presence.diff".equals((frame = alice.next()).getString("type"))) {
        seen.add(frame.getString("type"));
      }
      assertEquals(List.of("event", "event"), seen, "Bob polling again within the grace neither left nor rejoined");
      assertEquals(diff(List.of(), List.of("bob"), 1), changes(frame), "Bob leaves once he stops polling");
    }
  }

  @Test
  void anSseSubscriberJoinsGetsTheStateAndLeavesWhenItsStreamEnds() {
    try (TestNode node = TestNode.start();
         WsClient alice = node.connect("sessionId=e2e-sse", ALICE)) {
      PresenceView view = new PresenceView(alice, "e2e-sse").until(present("alice"), "Alice present");
      try (SseClient bob = SseClient.open(node, "/events?sessionId=e2e-sse&access_token=" + BOB, Map.of())) {
        view.until(present("alice", "bob"), "Bob joins with his stream");
        new PresenceView(bob, "e2e-sse").until(v -> v.present().equals(Set.of("alice", "bob"))
            && v.named("joins", "bob") == 1, "Bob's stream: the state and his own join");
      }
      view.until(present("alice"), "Bob leaves when his stream ends");
    }
  }

  @Test
  void pagesThePresenceOfABigSessionAndCountsItWhole() {
    try (TestNode node = TestNode.start()) {
      for (int i = 0; i < 7; i++) {
        node.vertx.eventBus().send(Addresses.PRESENCE_UPDATE, new PresenceUpdate(PresenceAction.JOIN, "e2e-big",
            "node-x", "c" + i, new PresenceUser("user-" + i, null, null)));
      }
      JsonObject first = node.get("/sessions/e2e-big/presence?limit=3", ALICE).bodyAsJsonObject();
      JsonObject second = node.get("/sessions/e2e-big/presence?limit=3&cursor=" + first.getString("nextCursor"),
          ALICE).bodyAsJsonObject();
      JsonObject last = node.get("/sessions/e2e-big/presence?limit=3&cursor=" + second.getString("nextCursor"),
          ALICE).bodyAsJsonObject();

      assertEquals(List.of("user-0", "user-1", "user-2"), userIds(first.getJsonArray("users")));
      assertEquals(List.of("user-3", "user-4", "user-5"), userIds(second.getJsonArray("users")));
      assertEquals(List.of("user-6"), userIds(last.getJsonArray("users")));
      assertNull(last.getString("nextCursor"));
      assertEquals(7, first.getInteger("count"));
      assertEquals(new JsonObject().put("users", new JsonArray()).put("count", 7).put("anonymous", new JsonObject()),
          node.get("/sessions/e2e-big/presence?limit=0", ALICE).bodyAsJsonObject());
      assertEquals(7, node.get("/sessions/e2e-big/presence?limit=5000", ALICE).bodyAsJsonObject()
          .getJsonArray("users").size(), "a limit above 1000 is treated as 1000");
      assertEquals(400, node.get("/sessions/e2e-big/presence?limit=-1", ALICE).statusCode());
      assertEquals(400, node.get("/sessions/e2e-big/presence?cursor=%21%21", ALICE).statusCode());
      try (WsClient alice = node.connect("", ALICE)) {
        alice.send(new JsonObject().put("type", "presence").put("sessionId", "e2e-big").put("limit", 3)
            .put("cursor", first.getString("nextCursor")));
        JsonObject page = alice.next("presence.state");
        assertEquals(List.of("user-3", "user-4", "user-5"), userIds(page.getJsonArray("users")));
        assertEquals(7, page.getInteger("count"));
        assertEquals(second.getString("nextCursor"), page.getString("nextCursor"));
        alice.send(new JsonObject().put("type", "presence").put("sessionId", "e2e-big").put("limit", "all"));
        assertEquals("bad_request", alice.next("error").getString("code"));
      }
    }
  }

  @Test
  void aRedisOutageNeverStopsEventsAndPresenceRecoversWhenRedisReturns() {
    URI redis = URI.create(TestRedis.url());
    String session = "e2e-outage-" + UUID.randomUUID().toString().substring(0, 8);
    Vertx proxyVertx = Vertx.vertx();
    TcpProxy proxy = TcpProxy.start(proxyVertx, redis.getHost(), redis.getPort());
    try (TestNode redisNode = TestNode.start(Map.of("SB_PRESENCE_HEARTBEAT", "300ms", "SB_PRESENCE_TTL", "3s",
        "SB_REDIS_URL", "redis://127.0.0.1:" + proxy.port(), "SB_REDIS_PRESENCE_PREFIX", "sb-test:" + session + ":"));
         WsClient alice = redisNode.connect("sessionId=" + session, ALICE);
         WsClient carol = redisNode.connect("sessionId=" + session, CAROL)) {
      PresenceView view = new PresenceView(alice, session).until(present("alice", "carol"), "Alice and Carol");

      proxy.cut();
      carol.close();
      try (WsClient bob = redisNode.connect("sessionId=" + session, BOB)) {
        bob.next("replayed");
        long published = redisNode.publish(ALICE, session, new JsonObject().put("during", "outage"));
        assertEquals(Long.toString(published), alice.next("event").getString("eventId"), "events still flow");
        assertEquals(Long.toString(published), bob.next("event").getString("eventId"));
        bob.send(new JsonObject().put("type", "publish").put("requestId", "b1").put("eventType", "chat")
            .put("payload", new JsonObject()));
        assertEquals("b1", bob.next("ack").getString("requestId"));
        assertEquals("bob", alice.next("event").getString("userId"));
        alice.send(new JsonObject().put("type", "presence").put("sessionId", session));
        assertEquals("unavailable", alice.next("error").getString("code"), "presence says it is down");

        proxy.restore();
        // Bob's lost join comes back with his edge's next heartbeat; Carol's lost leave with the sweep.
        view.until(present("alice", "bob"), "Bob back, Carol gone");
        JsonObject state = askPresence(alice, session);
        assertEquals(Set.of("alice", "bob"), new HashSet<>(userIds(state.getJsonArray("users"))));
        assertEquals(2, state.getInteger("count"));
      }
    } finally {
      proxy.close();
      proxyVertx.close();
    }
  }

  private static Future<HttpResponse<Buffer>> poll(TestNode node, String token, String sessionId, long from) {
    var request = node.http.get("/poll?sessionId=" + sessionId + "&fromEventId=" + from + "&timeoutMs=30000")
        .bearerTokenAuthentication(token);
    return request.send().map(response -> SpecViolations.checked(request, response));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonObject askPresence(WsClient client, String sessionId) {
    client.send(new JsonObject().put("type", "presence").put("sessionId", sessionId));
    return client.next("presence.state");
  }

  /** A view that shows exactly these users present. */
  private static Predicate<PresenceView> present(String... userIds) {
    return view -> view.present().equals(Set.of(userIds));
  }

  /** A diff frame's joins, leaves and count, by user id. */
  private static JsonObject changes(JsonObject diff) {
    return diff(userIds(diff.getJsonArray("joins")), userIds(diff.getJsonArray("leaves")), diff.getInteger("count"));
  }

  private static JsonObject diff(List<String> joins, List<String> leaves, int count) {
    return new JsonObject().put("joins", new JsonArray(joins)).put("leaves", new JsonArray(leaves)).put("count", count);
  }

  private static List<String> userIds(JsonArray users) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      ids.add(users.getJsonObject(i).getString("userId"));
    }
    return ids;
  }
}
