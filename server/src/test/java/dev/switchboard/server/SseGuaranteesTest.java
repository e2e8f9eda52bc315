package dev.switchboard.server;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The delivery guarantees over Server-Sent Events, plus what only SSE has: ids, Last-Event-ID, several sessions. */
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
}
