package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The presence and rate options of namespaces (docs/PROTOCOL.md, Namespaces), on a node whose global publish budget
 * is unlimited: a namespace without presence, one whose joins and leaves are not broadcast, one with a publish rate
 * of its own. Frames about a namespace are judged against a later subscription's in a namespace with the defaults:
 * presence handles a node's announcements in order, so what the first would have caused comes before the second's.
 */
class NamespaceOptionsTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass(new JsonObject().put("namespaces", new JsonObject()
      .put("quiet", new JsonObject().put("presence", false))
      .put("crowd", new JsonObject().put("joinLeave", false))
      .put("slow", new JsonObject().put("publishRate", 2).put("publishBurst", 2))), Map.of());

  private final String ada = TestTokens.user("ada", List.of("*"), List.of("*"));
  private final String bob = TestTokens.user("bob", List.of("*"), List.of("*"));

  @Test
  void aNamespaceWithoutPresenceSendsNoPresenceFramesAndRefusesPresenceQueries() {
    try (WsClient first = node.connect("sessionId=quiet:1", ada);
         WsClient second = node.connect("sessionId=quiet:1", bob)) {
      first.next("connected");
      second.next("connected");
      assertEquals(Set.of(), presenceFramesBeforeTheDefaultsSpeak(first, "open:1"),
          "neither a presence.state after subscribing nor a diff of Ada's or Bob's join");

      HttpResponse<Buffer> rest = node.get("/sessions/quiet:1/presence", ada);
      assertEquals(404, rest.statusCode(), rest.bodyAsString());
      assertEquals("presence is off in this namespace",
          rest.bodyAsJsonObject().getJsonObject("error").getString("message"));
      first.send(new JsonObject().put("type", "presence").put("requestId", "q1").put("sessionId", "quiet:1"));
      JsonObject error = first.next("error");
      assertEquals("q1", error.getString("requestId"));
      assertEquals("not_found", error.getString("code"));
      assertEquals("presence is off in this namespace", error.getString("message"));
    }
  }

  @Test
  void aNamespaceWithoutJoinLeaveKeepsPresenceButSendsNoDiffs() {
    try (WsClient first = node.connect("sessionId=crowd:1", ada)) {
      assertEquals(List.of("ada"), userIds(first.next("presence.state").getJsonArray("users")));
      try (WsClient second = node.connect("sessionId=crowd:1", bob)) {
        JsonObject state = second.next("presence.state");
        assertEquals(List.of("ada", "bob"), userIds(state.getJsonArray("users")), "presence.state lists them");
        HttpResponse<Buffer> rest = node.get("/sessions/crowd:1/presence", ada);
        assertEquals(200, rest.statusCode(), rest.bodyAsString());
        assertEquals(List.of("ada", "bob"), userIds(rest.bodyAsJsonObject().getJsonArray("users")));

        assertEquals(Set.of(), presenceFramesBeforeTheDefaultsSpeak(first, "open:2"),
            "Ada's own join and Bob's are not broadcast in crowd:1");
      }
    }
  }

  @Test
  void aNamespaceWithItsOwnRateRefusesPastItsBucketWhileTheGlobalBudgetWouldNot() {
    assertEquals(201, publish(ada, "slow:1").statusCode());
    assertEquals(201, publish(ada, "slow:2").statusCode());
    HttpResponse<Buffer> refused = publish(ada, "slow:1");
    assertEquals(429, refused.statusCode(), refused.bodyAsString());
    assertEquals("rate_limited", refused.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertTrue(Integer.parseInt(refused.getHeader("Retry-After")) >= 1, "Retry-After says when to come back");
    assertEquals(429, publish(ada, "slow:3").statusCode(), "one bucket per user in the whole namespace");

    assertEquals(201, publish(bob, "slow:1").statusCode(), "each user has a bucket of their own");
    for (int i = 0; i < 5; i++) {
      assertEquals(201, publish(ada, "open:3").statusCode(), "outside the namespace the global budget applies");
    }
  }

  /**
   * Subscribes {@code socket} to {@code defaultSession} as well and collects its presence frames of other sessions,
   * as "type session", until the presence diff of its own join there: by then any frame that its earlier
   * subscriptions caused has come.
   */
  private static Set<String> presenceFramesBeforeTheDefaultsSpeak(WsClient socket, String defaultSession) {
    socket.send(new JsonObject().put("type", "subscribe").put("requestId", "s-" + defaultSession)
        .put("sessionId", defaultSession));
    Set<String> seen = new TreeSet<>();
    while (true) {
      JsonObject frame = socket.next();
      String type = frame.getString("type");
      if (type.startsWith("presence.")) {
        if (!frame.getString("sessionId").equals(defaultSession)) {
          seen.add(type + " " + frame.getString("sessionId"));
        } else if (type.equals("presence.diff")) {
          return seen;
        }
      }
    }
  }

  private HttpResponse<Buffer> publish(String token, String session) {
    return node.post("/sessions/" + session + "/events", token,
        new JsonObject().put("eventType", "note").put("payload", new JsonObject().put("n", 1)));
  }

  private static List<String> userIds(JsonArray users) {
    List<String> ids = new ArrayList<>();
    users.forEach(user -> ids.add(((JsonObject) user).getString("userId")));
    return ids;
  }
}
