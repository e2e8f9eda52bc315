package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bad input gets the documented answer, and an honest subscriber on the same node keeps receiving every event in
 * order throughout (checked after every test).
 */
class BadInputTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();
  private static WsClient honest;
  private static int published;
  /** How many of the published events the honest subscriber has been checked for. */
  private static int checked;
  private static final String ALICE = TestTokens.user("alice", List.of("*"), List.of("*"));
  private static final String READER = TestTokens.user("reader", List.of("room-*"), List.of());

  @BeforeAll
  static void connectTheHonestSubscriber() {
    honest = node.connect("sessionId=honest", ALICE);
    honest.next("connected");
  }

  /** After every test, so that a failure names the test whose bad input hurt the honest subscriber. */
  @AfterEach
  void theHonestSubscriberGotEveryEventInOrder() {
    publishHonestEvent();
    List<JsonObject> events = honest.events(published - checked);
    for (int i = 0; i < events.size(); i++) {
      assertEquals(Long.toString(checked + i + 1), events.get(i).getString("eventId"));
    }
    checked = published;
  }

  @AfterAll
  static void disconnectTheHonestSubscriber() {
    honest.close();
  }

  private static void publishHonestEvent() {
    node.publish(ALICE, "honest", new JsonObject().put("n", ++published));
  }

  private static WsClient connected(String query, String token) {
    WsClient client = node.connect(query, token);
    client.next("connected");
    return client;
  }

  private static void assertError(WsClient client, String code) {
    assertEquals(code, client.next("error").getString("code"));
    client.send(new JsonObject().put("type", "ping"));
    client.next("pong");
    publishHonestEvent();
  }

  @Test
  void httpTheServerCannotReadIsAnsweredWithTheErrorBodyAndTheConnectionEnds() {
    String[][] cases = {
        {"GET /sessions/s/events?after=" + "1".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414", "too_large"},
        {"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n", "431", "too_large"},
        {"HELLO\r\n\r\n", "400", "bad_request"}};
    for (String[] bad : cases) {
      try (RawConnection connection = RawConnection.open(node, "127.0.0.1")) {
        RawConnection.Answer answer = connection.write(bad[0]).answer();
        assertEquals(Integer.parseInt(bad[1]), answer.status(), answer.body());
        assertEquals(bad[2], answer.errorCode());
        assertEquals("close", answer.headers().get("connection"));
      }
    }
  }

  @Test
  void malformedJsonIsAnsweredAndTheSocketStaysOpen() {
    try (WsClient client = connected("sessionId=bad-json", ALICE)) {
      client.sendText("{\"type\":\"publish\",");
      assertError(client, "bad_request");
      client.sendText("[1,2,3]");
      assertError(client, "bad_request");
      client.sendText("{\"type\":42}");
      assertError(client, "bad_request");
    }
  }

  @Test
  void unknownFrameTypesAreAnswered() {
    try (WsClient client = connected("sessionId=bad-type", ALICE)) {
      client.send(new JsonObject().put("type", "teleport").put("requestId", "x"));
      JsonObject error = client.next("error");
      assertEquals("bad_request", error.getString("code"));
      assertEquals("x", error.getString("requestId"));
    }
  }

  @Test
  void aRequestIdThatIsNeitherAStringNorANumberIsRefusedWithoutEcho() {
    try (WsClient client = connected("sessionId=bad-request-id", ALICE)) {
      client.send(new JsonObject().put("type", "publish").put("requestId", new JsonObject().put("n", 1))
          .put("eventType", "t"));
      JsonObject error = client.next("error");
      assertEquals("bad_request", error.getString("code"));
      assertEquals(null, error.getValue("requestId"));
      client.send(new JsonObject().put("type", "publish").put("requestId", 7).put("eventType", "t"));
      assertEquals(7, client.next("ack").getInteger("requestId"));
      publishHonestEvent();
    }
  }

  @Test
  void anOversizedFrameClosesTheSocketWith1009() {
    try (WsClient client = connected("sessionId=bad-size", ALICE)) {
      client.send(new JsonObject().put("type", "publish").put("eventType", "t")
          .put("payload", "x".repeat(70 * 1024)));
      assertEquals(1009, client.awaitClose());
      publishHonestEvent();
    }
  }

  @Test
  void onlyStrictJsonIsTakenSoWhatIsStoredIsWhatWasSent() {
    List<String> notStrict = List.of("1e400", "\"\\ud800\"", "\"a\\udc00b\"", "/* note */ 1", "NaN");
    try (WsClient client = connected("sessionId=bad-strict", ALICE)) {
      for (String payload : notStrict) {
        client.sendText("{\"type\":\"publish\",\"eventType\":\"t\",\"payload\":" + payload + "}");
        assertError(client, "bad_request");
        assertStatus(400, "bad_request", node.request(HttpMethod.POST, "/sessions/bad-strict/events", ALICE,
            Buffer.buffer("{\"eventType\":\"t\",\"payload\":" + payload + "}")));
      }
      client.sendText("{\"type\":\"publish\",\"requestId\":\"ok\",\"eventType\":\"t\",\"payload\":\"\\ud83d\\ude00\"}");
      client.next("ack");
      assertEquals("\uD83D\uDE00", client.next("event").getString("payload"), "a surrogate pair is kept");
    }
  }

  @Test
  void aPayloadNestedTooDeeplyIsRefused() {
    Object payload = 1;
    for (int i = 0; i < 70; i++) {
      payload = new JsonArray().add(payload);
    }
    try (WsClient client = connected("sessionId=bad-nesting", ALICE)) {
      client.send(new JsonObject().put("type", "publish").put("requestId", "deep").put("eventType", "t")
          .put("payload", payload));
      assertError(client, "bad_request");
    }
  }

  @Test
  void aMissingTokenClosesWith4001AfterTheAuthWindow() {
    try (WsClient client = node.connect("sessionId=bad-none")) {
      assertEquals(4001, client.awaitClose());
    }
  }

  @Test
  void invalidExpiredAndForeignTokensCloseWith4001() {
    List<String> bad = List.of(
        "not-a-jwt",
        TestTokens.hs256("another-secret-of-at-least-thirty-two-bytes", TestTokens.claims("a", List.of("*"),
            List.of("*"), 60)),
        TestTokens.hs256(TestTokens.SECRET, TestTokens.claims("a", List.of("*"), List.of("*"), -60)),
        TestTokens.unsigned(TestTokens.claims("a", List.of("*"), List.of("*"), 60)),
        TestTokens.hs256(TestTokens.SECRET, TestTokens.claims("a", List.of("*"), List.of("*"), 60).copy()
            .put("exp", (Object) null)));
    for (String token : bad) {
      try (WsClient client = node.connect("sessionId=bad-token&access_token=" + token)) {
        assertEquals(4001, client.awaitClose(), token);
      }
    }
    publishHonestEvent();
  }

  @Test
  void aSessionTheTokenDoesNotAllowClosesWith4003() {
    try (WsClient client = node.connect("sessionId=secret-room", READER)) {
      assertEquals(4003, client.awaitClose());
    }
  }

  @Test
  void subscribingOrPublishingWithoutRightsIsAnsweredForbidden() {
    try (WsClient client = connected("sessionId=room-1", READER)) {
      client.send(new JsonObject().put("type", "publish").put("requestId", "p").put("eventType", "t")
          .put("payload", 1));
      assertError(client, "forbidden");
      client.send(new JsonObject().put("type", "subscribe").put("sessionId", "secret-room"));
      assertError(client, "forbidden");
      client.send(new JsonObject().put("type", "signal").put("eventType", "t").put("payload", 1));
      assertError(client, "forbidden");
    }
  }

  @Test
  void invalidSessionIdsAreRefused() {
    try (WsClient client = node.connect("sessionId=" + "x".repeat(129), ALICE)) {
      assertEquals(1008, client.awaitClose());
    }
    try (WsClient client = node.connect("sessionId=ok&fromEventId=minus-one", ALICE)) {
      assertEquals(1008, client.awaitClose());
    }
    try (WsClient client = connected("sessionId=ok", ALICE)) {
      client.send(new JsonObject().put("type", "subscribe").put("sessionId", "a b"));
      assertError(client, "bad_request");
      client.send(new JsonObject().put("type", "subscribe").put("sessionId", "ok2").put("fromEventId", "-3"));
      assertError(client, "bad_request");
    }
  }

  @Test
  void restAnswersEveryBadRequestWithItsStatus() {
    JsonObject event = new JsonObject().put("eventType", "t").put("payload", 1);
    assertStatus(401, "unauthorized", node.post("/sessions/r/events", null, event));
    assertStatus(401, "unauthorized", node.post("/sessions/r/events", "garbage", event));
    assertStatus(403, "forbidden", node.post("/sessions/room-1/events", READER, event));
    assertStatus(403, "forbidden", node.get("/sessions/secret/events", READER));
    assertStatus(400, "bad_request", node.post("/sessions/bad%20id/events", ALICE, event));
    assertStatus(400, "bad_request", node.request(HttpMethod.POST, "/sessions/r/events", ALICE,
        Buffer.buffer("{not json")));
    assertStatus(400, "bad_request", node.post("/sessions/r/events", ALICE, new JsonObject().put("payload", 1)));
    assertStatus(413, "too_large", node.post("/sessions/r/events", ALICE,
        new JsonObject().put("eventType", "t").put("payload", "x".repeat(70 * 1024))));
    assertStatus(400, "bad_request", node.get("/sessions/r/events?after=-1", ALICE));
    assertStatus(404, "not_found", node.get("/nowhere", ALICE));
    publishHonestEvent();
  }

  private static void assertStatus(int status, String code, HttpResponse<Buffer> response) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals(code, response.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }
}
