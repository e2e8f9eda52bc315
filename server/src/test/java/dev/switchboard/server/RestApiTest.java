package dev.switchboard.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The REST surface: history paging, presence, health, readiness and dev tokens. */
class RestApiTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();
  private static final String ALICE = TestTokens.user("alice", List.of("*"), List.of("*"));

  @Test
  void historyPagesWithAfterAndLimit() {
    for (int n = 1; n <= 5; n++) {
      node.publish(ALICE, "rest-history", new JsonObject().put("n", n));
    }
    JsonObject page = node.get("/sessions/rest-history/events?after=1&limit=2", ALICE).bodyAsJsonObject();
    JsonArray events = page.getJsonArray("events");
    assertEquals(2, events.size());
    assertEquals("2", events.getJsonObject(0).getString("eventId"));
    assertEquals(2, events.getJsonObject(0).getJsonObject("payload").getInteger("n"));
    assertEquals("3", page.getString("lastEventId"));
    JsonObject empty = node.get("/sessions/rest-history/events?after=5", ALICE).bodyAsJsonObject();
    assertEquals(0, empty.getJsonArray("events").size());
    assertEquals("5", empty.getString("lastEventId"), "the requested position when the answer has no event");
    JsonObject reset = node.get("/sessions/rest-history/events?after=50", ALICE).bodyAsJsonObject();
    assertEquals("unknown_event", reset.getJsonObject("reset").getString("reason"));
  }

  @Test
  void presenceListsTheConnectedUsers() {
    try (WsClient client = node.connect("sessionId=rest-presence", ALICE)) {
      client.next("presence.state");
      JsonObject presence = node.get("/sessions/rest-presence/presence", ALICE).bodyAsJsonObject();
      assertEquals("alice", presence.getJsonArray("users").getJsonObject(0).getString("userId"));
    }
  }

  @Test
  void healthAndReadinessAnswer200() {
    assertEquals(200, node.get("/health", null).statusCode());
    assertEquals(200, node.get("/ready", null).statusCode());
  }

  @Test
  void aDevTokenWorksForTheSessionsItNames() {
    JsonObject answer = node.post("/dev/token", null, new JsonObject().put("sub", "dev-user")
        .put("sessions", new JsonArray().add("demo")).put("publish", new JsonArray().add("demo"))
        .put("name", "Dev").put("ttlSec", 600)).bodyAsJsonObject();
    String token = answer.getString("token");
    assertEquals(1, node.publish(token, "demo", new JsonObject().put("hello", "world")));
    assertEquals(403, node.get("/sessions/other/events", token).statusCode());
  }

  @Test
  void anIdempotencyKeyBelongsToItsPublisher() {
    String bob = TestTokens.user("bob", List.of("*"), List.of("*"));
    JsonObject event = new JsonObject().put("eventType", "vote").put("idempotencyKey", "ballot-1");
    var first = node.post("/sessions/rest-keys/events", ALICE, event.copy().put("payload", "alice's"));
    var other = node.post("/sessions/rest-keys/events", bob, event.copy().put("payload", "bob's"));
    var retry = node.post("/sessions/rest-keys/events", ALICE, event.copy().put("payload", "again"));
    assertEquals(201, first.statusCode());
    assertEquals(201, other.statusCode(), "bob's key is bob's: a publish of its own");
    assertEquals("2", other.bodyAsJsonObject().getString("eventId"));
    assertEquals(200, retry.statusCode(), "alice's retry is answered with her original");
    assertEquals(first.bodyAsJsonObject().getString("eventId"), retry.bodyAsJsonObject().getString("eventId"));
  }

  @Test
  void devTokensAreMintedForTheNodesOwnPagesOnly() {
    JsonObject body = new JsonObject().put("sub", "dev-user");
    var foreign = TestNode.send(node.http.post("/dev/token").putHeader("Origin", "https://evil.example"),
        body.toBuffer());
    assertEquals(403, foreign.statusCode(), "another origin is refused");
    assertEquals(null, foreign.getHeader("Access-Control-Allow-Origin"), "and gets no CORS header");
    String own = "http://127.0.0.1:" + node.port();
    var page = TestNode.send(node.http.post("/dev/token").putHeader("Origin", own), body.toBuffer());
    assertEquals(200, page.statusCode(), "a page served by the node itself");
    assertEquals(null, page.getHeader("Access-Control-Allow-Origin"));
  }
}
