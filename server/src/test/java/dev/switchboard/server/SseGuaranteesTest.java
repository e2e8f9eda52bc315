package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery guarantees over Server-Sent Events, plus what only SSE has: ids, Last-Event-ID, several sessions, and a
 * token that holds for the stream it opened: the stream ends at its exp, and a reopen with a narrower one is refused.
 */
class SseGuaranteesTest extends DeliveryGuaranteesContract {

  @Override
  protected TestSubscriber subscribe(String sessionId, Long fromEventId) {
    return SseClient.open(node, "/events?sessionId=" + sessionId
        + (fromEventId == null ? "" : "&fromEventId=" + fromEventId) + "&access_token=" + token, Map.of()).asSubscriber();
  }

  @Test
  void eachEventCarriesItsIdAndLastEventIdResumesTheStream() {
    for (int n = 1; n <= 3; n++) {
      node.publish(token, "sse-id", new JsonObject().put("n", n));
    }
    try (SseClient first = SseClient.open(node, "/events?sessionId=sse-id&fromEventId=0&access_token=" + token,
        Map.of())) {
      assertEquals("1000", first.next("connected") == null ? null : first.retry);
      assertEquals("no-cache", first.response.getHeader("Cache-Control"));
      assertEquals("no", first.response.getHeader("X-Accel-Buffering"));
      first.next("event");
      first.next("event");
      assertEquals("2", first.lastId);
    }
    node.publish(token, "sse-id", new JsonObject().put("n", 4));
    try (SseClient resumed = SseClient.open(node, "/events?sessionId=sse-id&fromEventId=0&access_token=" + token,
        Map.of("Last-Event-ID", "2"))) {
      assertEquals("3", resumed.next("event").getString("eventId"), "Last-Event-ID wins over fromEventId");
      assertEquals("4", resumed.next("event").getString("eventId"));
    }
  }

  @Test
  void oneStreamCarriesSeveralSessionsAndResumesEachFromItsOwnPosition() {
    node.publish(token, "sse-a", new JsonObject());
    node.publish(token, "sse-b", new JsonObject());
    node.publish(token, "sse-b", new JsonObject());
    String cursor;
    try (SseClient stream = SseClient.open(node, "/events?sessionId=sse-a&sessionId=sse-b&fromEventId=0"
        + "&fromEventId=0&access_token=" + token, Map.of())) {
      stream.next("connected");
      for (int i = 0; i < 3; i++) {
        stream.next("event");
      }
      cursor = stream.lastId;
    }
    assertEquals(2, cursor.split(",").length, cursor);
    node.publish(token, "sse-b", new JsonObject().put("after", "drop"));
    try (SseClient stream = SseClient.open(node, "/events?sessionId=sse-a&sessionId=sse-b&access_token=" + token,
        Map.of("Last-Event-ID", cursor))) {
      JsonObject event = stream.next("event");
      assertEquals("sse-b", event.getString("sessionId"));
      assertEquals("3", event.getString("eventId"));
    }
  }

  @Test
  void aStreamWithoutAValidTokenIsRefusedWith401() {
    try (SseClient stream = SseClient.open(node, "/events?sessionId=x&access_token=garbage", Map.of())) {
      assertEquals(401, stream.response.statusCode());
    }
  }

  @Test
  void aStreamEndsWithTokenExpiredAtItsTokensExp() throws InterruptedException {
    String shortLived = TestTokens.hs256(TestTokens.SECRET, TestTokens.claims("brief", List.of("*"), List.of(), 2));
    long start = System.currentTimeMillis();
    try (SseClient stream = SseClient.open(node, "/events?sessionId=sse-expiry&access_token=" + shortLived,
        Map.of())) {
      stream.next("connected");
      JsonObject last = stream.next("error");
      assertEquals("unauthorized", last.getString("code"));
      assertEquals("token expired", last.getString("message"));
      assertTrue(System.currentTimeMillis() - start < 10_000, "at the token's exp");
      long deadline = System.currentTimeMillis() + 5_000;
      while (!stream.ended && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(stream.ended, "the stream ends after its last frame");
    }
  }

  @Test
  void aStreamReopenedWithANarrowerTokenIsRefusedWith403NamingEachSessionItLost() {
    String wide = TestTokens.user("alice", List.of("sse-keep", "sse-lost-*"), List.of("*"));
    String narrow = TestTokens.user("alice", List.of("sse-keep"), List.of("*"));
    String sessions = "sessionId=sse-keep&sessionId=sse-lost-1&sessionId=sse-lost-2";
    node.publish(token, "sse-keep", new JsonObject().put("n", 1));
    try (SseClient stream = SseClient.open(node, "/events?" + sessions, Map.of("Authorization", "Bearer " + wide))) {
      stream.next("connected");
    }
    HttpResponse<Buffer> refused = TestNode.send(node.http.get("/events?" + sessions)
        .putHeader("Accept", "text/event-stream").putHeader("Last-Event-ID", "sse-keep=0")
        .bearerTokenAuthentication(narrow), null);
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
    assertEquals("forbidden", error.getString("code"));
    assertEquals(new JsonArray().add("sse-lost-1").add("sse-lost-2"), error.getJsonArray("sessionIds"),
        "the sessions the new token no longer allows, in request order");
    try (SseClient kept = SseClient.open(node, "/events?sessionId=sse-keep",
        Map.of("Authorization", "Bearer " + narrow, "Last-Event-ID", "0"))) {
      assertEquals("1", kept.next("event").getString("eventId"), "reopened without them, the stream resumes");
    }
  }
}
