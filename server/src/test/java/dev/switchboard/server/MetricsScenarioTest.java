package dev.switchboard.server;

import dev.switchboard.testsupport.PrometheusText;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A scripted scenario against a real node (WebSocket, SSE and long-poll subscribers, publishes, a refused token, a
 * rate-limited publisher, a refused upgrade, resumes, a signal, fallbacks, a slow consumer), with the exact value
 * every metric of README.md's Operations section must show after each step, read from {@code GET /metrics} with a
 * Prometheus text parser. The meters of a node start at zero: each test node has a registry of its own.
 */
class MetricsScenarioTest {

  private static final String API_KEY = "metrics-scenario-api-key-0123456789";
  private static final String SESSION = "metrics-room";
  private static final String WS_USER = TestTokens.user("ws-user", List.of("*"), List.of("*"));
  private static final String SSE_USER = TestTokens.user("sse-user", List.of("*"), List.of());
  private static final String POLL_USER = TestTokens.user("poll-user", List.of("*"), List.of());
  private static final String PUBLISHER = TestTokens.user("publisher", List.of("*"), List.of("*"));
  private static final String SPAMMER = TestTokens.user("spammer", List.of("*"), List.of("*"));
  private static final String[] WS = {"transport", "websocket"};
  private static final String[] SSE = {"transport", "sse"};
  private static final String[] POLL = {"transport", "poll"};

  @Test
  void everyMetricCountsTheScenarioExactly() {
    // A burst of 3 publishes per user and (practically) no refill during the test; the long-polling user stays
    // present for the rest of it.
    try (TestNode node = TestNode.start(Map.of("SB_PUBLISH_RATE", "1", "SB_PUBLISH_BURST", "3",
        "SB_API_KEY", API_KEY, "SB_POLL_PRESENCE_GRACE", "60s"))) {
      new MetricsExpectations()
          .expect(0, "switchboard_connections", WS).expect(0, "switchboard_connections", SSE)
          .expect(0, "switchboard_connections", POLL)
          .expect(0, "switchboard_events_appended_total")
          .expect(1, "switchboard_cluster_members")
          .expect(0, "switchboard_presence_members")
          .awaitOn(node);

      // Live subscribers on WebSocket and SSE (the SSE client reports that WebSocket failed it), three publishes.
      WsClient ws = node.connect("sessionId=" + SESSION, WS_USER);
      ws.next("replayed");
      SseClient sse = SseClient.open(node, "/events?sessionId=" + SESSION + "&fallbackFrom=websocket",
          Map.of("Authorization", "Bearer " + SSE_USER));
      sse.next("replayed");
      for (int n = 1; n <= 3; n++) {
        node.publish(PUBLISHER, SESSION, new JsonObject().put("n", n));
      }
      ws.events(3);
      for (int n = 1; n <= 3; n++) {
        sse.next("event");
      }
      new MetricsExpectations()
          .expect(1, "switchboard_connections", WS).expect(1, "switchboard_connections", SSE)
          .expect(1, "switchboard_connections_opened_total", WS)
          .expect(1, "switchboard_connections_opened_total", SSE)
          .expect(3, "switchboard_events_appended_total")
          .expect(3, "switchboard_append_seconds_count")
          .expect(3, "switchboard_append_batch_size_count")
          .expect(3, "switchboard_append_batch_size_sum")
          .expect(3, "switchboard_deliveries_total", WS).expect(3, "switchboard_deliveries_total", SSE)
          .expect(6, "switchboard_delivery_seconds_count")
          .expect(3, "switchboard_fanout_seconds_count")
          .expect(1, "switchboard_fallbacks_total", "from", "websocket", "to", "sse")
          .expect(0, "switchboard_replayed_events_total")
          .expect(2, "switchboard_presence_members")
          .awaitOn(node);

      // A long poll that resumes from 0 (after SSE failed it): the three events, replayed.
      HttpResponse<Buffer> poll = node.get("/poll?sessionId=" + SESSION + "&fromEventId=0&fallbackFrom=sse",
          POLL_USER);
      assertEquals(200, poll.statusCode());
      assertEquals(3, poll.bodyAsJsonObject().getJsonArray("events").size());
      new MetricsExpectations()
          .expect(0, "switchboard_connections", POLL)
          .expect(1, "switchboard_connections_opened_total", POLL)
          .expect(1, "switchboard_connections_closed_total", "transport", "poll", "code", "1000")
          .expect(1, "switchboard_connection_duration_seconds_count", POLL)
          .expect(3, "switchboard_deliveries_total", POLL)
          .expect(3, "switchboard_replayed_events_total")
          .expect(1, "switchboard_resumes_total", "transport", "poll", "outcome", "replayed")
          .expect(1, "switchboard_fallbacks_total", "from", "sse", "to", "poll")
          .expect(6, "switchboard_delivery_seconds_count")
          .expect(3, "switchboard_presence_members")
          .awaitOn(node);

      // A publisher past its burst: three stored, the fourth refused.
      for (int n = 1; n <= 3; n++) {
        node.publish(SPAMMER, SESSION, new JsonObject().put("spam", n));
      }
      HttpResponse<Buffer> refused = node.post("/sessions/" + SESSION + "/events", SPAMMER,
          new JsonObject().put("eventType", "spam").put("payload", 4));
      assertEquals(429, refused.statusCode());
      ws.events(3);
      new MetricsExpectations()
          .expect(1, "switchboard_rate_limited_total", "kind", "publish")
          .expect(6, "switchboard_events_appended_total")
          .expect(6, "switchboard_deliveries_total", WS).expect(6, "switchboard_deliveries_total", SSE)
          .expect(6, "switchboard_fanout_seconds_count")
          .awaitOn(node);

      // A refused token: the socket is upgraded, then closed with 4001.
      assertEquals(4001, node.connect("sessionId=" + SESSION, "not-a-token").awaitClose());
      new MetricsExpectations()
          .expect(1, "switchboard_auth_failures_total", "reason", "invalid")
          .expect(0, "switchboard_auth_failures_total", "reason", "expired")
          .expect(2, "switchboard_connections_opened_total", WS)
          .expect(1, "switchboard_connections_closed_total", "transport", "websocket", "code", "4001")
          .expect(1, "switchboard_connections", WS)
          .awaitOn(node);

      // An upgrade on a path that takes none: refused with 404 before it becomes a connection.
      assertThrows(IllegalStateException.class, () -> WsClient.connect(node, "/not-events", WS_USER));
      new MetricsExpectations()
          .expect(1, "switchboard_websocket_upgrade_failures_total", "reason", "wrong_path")
          .expect(2, "switchboard_connections_opened_total", WS)
          .awaitOn(node);

      // Resumes: from eventId 2 (four events replayed), and from a position the log never had (reset).
      WsClient resumed = node.connect("sessionId=" + SESSION + "&fromEventId=2", WS_USER);
      resumed.events(4);
      resumed.next("replayed");
      WsClient reset = node.connect("sessionId=" + SESSION + "&fromEventId=99", WS_USER);
      reset.next("reset");
      new MetricsExpectations()
          .expect(1, "switchboard_resumes_total", "transport", "websocket", "outcome", "replayed")
          .expect(1, "switchboard_resumes_total", "transport", "websocket", "outcome", "reset")
          .expect(7, "switchboard_replayed_events_total")
          .expect(10, "switchboard_deliveries_total", WS)
          .expect(3, "switchboard_connections", WS)
          .awaitOn(node);

      // A signal, then every client leaves.
      ws.send(new JsonObject().put("type", "signal").put("eventType", "cursor").put("payload", new JsonObject()));
      reset.next("signal");
      ws.close();
      resumed.close();
      reset.close();
      sse.close();
      new MetricsExpectations()
          .expect(1, "switchboard_signals_total")
          .expect(1, "switchboard_presence_members")
          .expect(0, "switchboard_connections", WS).expect(0, "switchboard_connections", SSE)
          .expect(3, "switchboard_connections_closed_total", "transport", "websocket", "code", "1000")
          .expect(1, "switchboard_connections_closed_total", "transport", "sse", "code", "1000")
          .expect(4, "switchboard_connection_duration_seconds_count", WS)
          .expect(1, "switchboard_connection_duration_seconds_count", SSE)
          .awaitOn(node);

      // A subscriber that stops reading while a backend floods its session: closed as a slow consumer.
      WsClient slow = node.connect("sessionId=metrics-firehose", WS_USER);
      slow.next("replayed");
      slow.socket().pause();
      String fill = "x".repeat(50_000);
      for (int n = 1; n <= 400 && !slow.isClosed(); n++) {
        HttpResponse<Buffer> stored = TestNode.send(node.http.request(HttpMethod.POST,
            "/sessions/metrics-firehose/events").putHeader("X-Api-Key", API_KEY),
            new JsonObject().put("eventType", "fill").put("payload", new JsonArray().add(n).add(fill)).toBuffer());
        assertEquals(201, stored.statusCode());
      }
      slow.socket().resume();
      assertEquals(4009, slow.awaitClose());
      PrometheusText last = new MetricsExpectations()
          .expect(1, "switchboard_slow_consumer_closes_total")
          .expect(1, "switchboard_connections_closed_total", "transport", "websocket", "code", "4009")
          .expect(0, "switchboard_connections", WS)
          .expect(0, "switchboard_websocket_upgrade_failures_total", "reason", "handshake")
          .awaitOn(node);
      assertEquals("histogram", last.type("switchboard_delivery_seconds"));
      assertEquals("counter", last.type("switchboard_deliveries_total") == null
          ? last.type("switchboard_deliveries") : last.type("switchboard_deliveries_total"));
    }
  }
}
