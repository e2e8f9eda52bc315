package dev.switchboard.server;

import dev.switchboard.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read and delivered positions end to end (docs/PROTOCOL.md, Read positions), written once and run on a node with
 * each event store: delivered advances in batches, read only forward, a fresh connection without a position starts
 * from the read one, the listing counts unread events, and nobody reads or sets positions that are not theirs.
 * Each test uses users and sessions of its own, so the class shares one node.
 */
abstract class ReadPositionsContract {

  static final String API_KEY = "read-positions-test-api-key-0123456789";

  /** The class's node, on the store under test, with {@link #API_KEY}. */
  abstract TestNode node();

  @Test
  void deliveredAdvancesAfterDeliveryInFewWritesNotOnePerEvent() throws Exception {
    String dora = everything("dora");
    AtomicInteger updates = new AtomicInteger();
    Handler<DeliveryContext<Object>> counter = delivery -> {
      if (Addresses.POSITIONS_DELIVERED.equals(delivery.message().address())) {
        updates.incrementAndGet();
      }
      delivery.next();
    };
    node().vertx.eventBus().addOutboundInterceptor(counter);
    try (WsClient ws = node().connect("sessionId=burst", dora)) {
      assertEquals("0", ws.next("replayed").getString("deliveredEventId"));
      int events = 60;
      List<Future<HttpResponse<Buffer>>> publishes = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        publishes.add(node().http.post("/sessions/burst/events").bearerTokenAuthentication(dora)
            .sendJsonObject(new JsonObject().put("eventType", "n").put("payload", i)));
      }
      Future.all(publishes).await(20, TimeUnit.SECONDS);
      assertEquals(events, ws.events(events).size());
      awaitPosition(dora, "burst", "deliveredEventId", "60");
      assertTrue(updates.get() <= events / 10, updates.get() + " delivered updates for " + events + " events");
    } finally {
      node().vertx.eventBus().removeOutboundInterceptor(counter);
    }
    try (WsClient again = node().connect("sessionId=burst&fromEventId=60", dora)) {
      JsonObject replayed = again.next("replayed");
      assertEquals("60", replayed.getString("deliveredEventId"), "a new connection learns what was delivered");
      assertEquals("0", replayed.getString("readEventId"));
    }
  }

  @Test
  void aLongPollsEventsCountAsDelivered() {
    String pat = everything("pat");
    publish("polled", 3);
    HttpResponse<Buffer> poll = node().get("/poll?sessionId=polled&fromEventId=1&timeoutMs=5000", pat);
    assertEquals("3", poll.bodyAsJsonObject().getString("lastEventId"));
    awaitPosition(pat, "polled", "deliveredEventId", "3");
  }

  @Test
  void readMovesOnlyForwardOverTheSocketAndRest() {
    String rita = everything("rita");
    publish("shelf", 5);
    try (WsClient ws = node().connect("sessionId=shelf", rita)) {
      ws.next("replayed");
      ws.send(new JsonObject().put("type", "read").put("requestId", "r1").put("eventId", "3"));
      assertEquals(new JsonObject().put("type", "positions").put("requestId", "r1").put("sessionId", "shelf")
          .put("lastEventId", "5").put("deliveredEventId", "0").put("readEventId", "3").put("unread", 2),
          ws.next("positions"));
      ws.send(new JsonObject().put("type", "read").put("requestId", 2).put("sessionId", "shelf").put("eventId", 1));
      JsonObject back = ws.next("positions");
      assertEquals(2, back.getInteger("requestId"));
      assertEquals("3", back.getString("readEventId"), "a read position never moves back");
      ws.send(new JsonObject().put("type", "read").put("requestId", "r3").put("eventId", "-1"));
      JsonObject refused = ws.next("error");
      assertEquals("bad_request", refused.getString("code"));
      assertEquals("r3", refused.getString("requestId"));
    }
    assertEquals("3", read(rita, "shelf", 2).bodyAsJsonObject().getString("readEventId"));
    JsonObject atHead = read(rita, "shelf", "99").bodyAsJsonObject();
    assertEquals("5", atHead.getString("readEventId"), "beyond the head counts as the head");
    assertEquals(0, atHead.getInteger("unread"));
    assertEquals(400, read(rita, "shelf", "x").statusCode());
  }

  @Test
  void aReadOnOneConnectionShowsOnTheUsersOtherConnectionsAtOnce() {
    String tom = everything("tom");
    publish("board", 3);
    try (WsClient phone = node().connect("sessionId=board&fromEventId=0", tom);
         WsClient laptop = node().connect("sessionId=board&fromEventId=0", tom);
         SseClient tablet = SseClient.open(node(), "/events?sessionId=board&fromEventId=0&access_token=" + tom,
             Map.of());
         WsClient stranger = node().connect("sessionId=board&fromEventId=0", everything("sam"))) {
      for (FrameSource connection : List.of(phone, laptop, tablet, stranger)) {
        connection.next("replayed");
      }
      phone.send(new JsonObject().put("type", "read").put("requestId", "p").put("eventId", "2"));
      assertEquals("p", phone.next("positions").getString("requestId"));
      JsonObject pushed = laptop.next("positions");
      assertEquals(positions("board", "3", pushed.getString("deliveredEventId"), "2", 1).put("type", "positions"),
          pushed, "no requestId: it answers nothing on this connection");
      assertEquals("2", tablet.next("positions").getString("readEventId"));
      read(tom, "board", 3);
      assertEquals("3", phone.next("positions").getString("readEventId"), "a REST read reaches every connection");
      stranger.send(new JsonObject().put("type", "ping"));
      for (JsonObject frame = stranger.next(); !"pong".equals(frame.getString("type")); frame = stranger.next()) {
        assertFalse("positions".equals(frame.getString("type")), "another user's read is not shown to sam");
      }
    }
  }

  @Test
  void aFreshConnectionWithoutAPositionStartsFromTheReadOne() {
    String fay = everything("fay");
    publish("story", 6);
    try (WsClient live = node().connect("sessionId=story", fay)) {
      JsonObject replayed = live.next("replayed");
      assertEquals("6", replayed.getString("lastEventId"), "without a read position: live");
      assertEquals(-1, live.lastEventId());
    }
    read(fay, "story", 4);
    try (WsClient fresh = node().connect("sessionId=story", fay)) {
      assertEquals(List.of("5", "6"), eventIds(fresh.events(2)));
      JsonObject replayed = fresh.next("replayed");
      assertEquals("6", replayed.getString("lastEventId"));
      assertEquals("4", replayed.getString("readEventId"));
    }
    try (WsClient other = node().connect("", fay)) {
      other.next("connected");
      other.send(new JsonObject().put("type", "subscribe").put("sessionId", "story"));
      assertEquals(List.of("5", "6"), eventIds(other.events(2)), "a subscribe frame starts from read too");
    }
    try (SseClient stream = SseClient.open(node(), "/events?sessionId=story&access_token=" + fay, Map.of())) {
      assertEquals("5", stream.next("event").getString("eventId"));
      assertEquals("6", stream.next("event").getString("eventId"));
      assertEquals("4", stream.next("replayed").getString("readEventId"));
    }
    JsonObject polled = node().get("/poll?sessionId=story&timeoutMs=5000", fay).bodyAsJsonObject();
    assertEquals(List.of("5", "6"), eventIds(polled.getJsonArray("events")));
    try (WsClient given = node().connect("sessionId=story&fromEventId=5", fay)) {
      assertEquals(List.of("6"), eventIds(given.events(1)), "a position of the client's own wins");
    }
  }

  @Test
  void aPersonalSessionWithoutAReadPositionStartsFromItsBeginning() {
    String boss = TestTokens.user("boss", List.of(), List.of("user:*"));
    for (int i = 0; i < 2; i++) {
      node().publish(boss, "user:ivy", new JsonObject().put("notice", i));
    }
    String ivy = TestTokens.user("ivy", List.of(), List.of());
    try (WsClient inbox = node().connect("sessionId=user:ivy", ivy)) {
      assertEquals(List.of("1", "2"), eventIds(inbox.events(2)));
      assertEquals("0", inbox.next("replayed").getString("readEventId"));
    }
  }

  @Test
  void theListingShowsEverySessionOfTheUserWithItsUnreadCount() {
    String boss = TestTokens.user("boss", List.of(), List.of("user:*"));
    for (int i = 0; i < 3; i++) {
      node().publish(boss, "user:lena", new JsonObject().put("notice", i));
    }
    publish("lena-room", 5);
    String lena = everything("lena");
    read(lena, "lena-room", 2);

    JsonArray listed = node().get("/me/sessions", lena).bodyAsJsonObject().getJsonArray("sessions");
    assertEquals(new JsonArray()
        .add(positions("user:lena", "3", "0", "0", 3))
        .add(positions("lena-room", "5", "0", "2", 3)), listed);
    publish("lena-never", 4);
    JsonArray named = node().get("/me/sessions?sessionId=lena-never", lena).bodyAsJsonObject()
        .getJsonArray("sessions");
    assertEquals(positions("lena-never", "4", "0", "0", 4), named.getJsonObject(1), "a named session is listed");
    assertEquals(3, named.size());
  }

  @Test
  void aUserReadsAndSetsOnlyTheirOwnPositionsInSessionsTheirTokenAllows() {
    String bob = everything("bob");
    publish("team-1", 4);
    read(bob, "team-1", 3);
    String mia = TestTokens.user("mia", List.of("team-*"), List.of());
    assertEquals(positions("team-1", "4", "0", "0", 4),
        node().get("/me/sessions?sessionId=team-1", mia).bodyAsJsonObject().getJsonArray("sessions").getJsonObject(1),
        "bob's read position is bob's alone");

    HttpResponse<Buffer> outside = read(mia, "secret-1", 1);
    assertEquals(403, outside.statusCode());
    assertEquals(403, read(mia, "user:bob", 1).statusCode(), "nobody moves another user's inbox");
    HttpResponse<Buffer> listOutside = node().get("/me/sessions?sessionId=secret-1", mia);
    assertEquals(403, listOutside.statusCode());
    assertEquals(new JsonArray().add("secret-1"),
        listOutside.bodyAsJsonObject().getJsonObject("error").getJsonArray("sessionIds"));
    try (WsClient ws = node().connect("", mia)) {
      ws.next("connected");
      ws.send(new JsonObject().put("type", "read").put("requestId", "x").put("sessionId", "secret-1")
          .put("eventId", "1"));
      assertEquals("forbidden", ws.next("error").getString("code"));
    }

    String wideMia = everything("mia");
    read(wideMia, "secret-1", 0);
    List<String> listed = sessionIds(node().get("/me/sessions", mia).bodyAsJsonObject().getJsonArray("sessions"));
    assertFalse(listed.contains("secret-1"), "a session the token no longer allows is left out: " + listed);
    assertTrue(sessionIds(node().get("/me/sessions", wideMia).bodyAsJsonObject().getJsonArray("sessions"))
        .contains("secret-1"));

    HttpResponse<Buffer> withKey = TestNode.send(node().http.get("/me/sessions").putHeader("X-Api-Key", API_KEY),
        null);
    assertEquals(401, withKey.statusCode(), "the server API key has no user");
    assertEquals(401, node().get("/me/sessions", null).statusCode());
  }

  private static String everything(String sub) {
    return TestTokens.user(sub, List.of("*"), List.of("*"));
  }

  private void publish(String sessionId, int events) {
    String publisher = everything("publisher");
    for (int i = 0; i < events; i++) {
      node().publish(publisher, sessionId, new JsonObject().put("n", i));
    }
  }

  private HttpResponse<Buffer> read(String token, String sessionId, Object eventId) {
    return node().post("/me/sessions/" + sessionId + "/read", token, new JsonObject().put("eventId", eventId));
  }

  /** Waits (generously: delivered positions are written once a second) until a listed position has a value. */
  private void awaitPosition(String token, String sessionId, String field, String expected) {
    long deadline = System.currentTimeMillis() + 10_000;
    String seen = null;
    while (System.currentTimeMillis() < deadline) {
      JsonObject listed = node().get("/me/sessions?sessionId=" + sessionId, token).bodyAsJsonObject()
          .getJsonArray("sessions").getJsonObject(1);
      seen = listed.getString(field);
      if (expected.equals(seen)) {
        return;
      }
      sleep(100);
    }
    throw new AssertionError(field + " of " + sessionId + " is " + seen + ", not " + expected);
  }

  private static JsonObject positions(String sessionId, String head, String delivered, String read, int unread) {
    return new JsonObject().put("sessionId", sessionId).put("lastEventId", head).put("deliveredEventId", delivered)
        .put("readEventId", read).put("unread", unread);
  }

  private static List<String> eventIds(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("eventId")).toList();
  }

  private static List<String> eventIds(JsonArray events) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      ids.add(events.getJsonObject(i).getString("eventId"));
    }
    return ids;
  }

  private static List<String> sessionIds(JsonArray sessions) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < sessions.size(); i++) {
      ids.add(sessions.getJsonObject(i).getString("sessionId"));
    }
    return ids;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
