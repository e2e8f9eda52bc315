package dev.switchboard.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.switchboard.realtime.http.AccessLog;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access log (docs/ARCHITECTURE.md, Logs): one INFO line per HTTP request, by route, with its status, bytes,
 * duration and client; never its query, its headers, a token or a session id; a WebSocket, SSE stream or long poll
 * adds its connection id, and a WebSocket's line comes when it closes, with its close code.
 */
class AccessLogTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  private static final String SESSION = "lobby-qzxw";
  private static final String TOKEN = TestTokens.user("ada-wvkq", List.of(SESSION), List.of(SESSION));
  private static final String OTHER_TOKEN = TestTokens.user("bob-wvkq", List.of("*"), List.of("*"));
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private CapturedLog log;

  @BeforeEach
  void captureTheLog() {
    log = CapturedLog.start();
  }

  @AfterEach
  void stopCapturing() {
    log.close();
  }

  @Test
  void aRequestIsLoggedByItsRouteWithoutItsQueryItsHeadersOrItsSessionId() {
    // A token in the query and another in the Authorization header (which wins).
    HttpResponse<Buffer> history = TestNode.send(node.http.get("/sessions/" + SESSION + "/events?after=0&access_token="
        + OTHER_TOKEN).putHeader("Authorization", "Bearer " + TOKEN), null);
    assertEquals(200, history.statusCode());
    ILoggingEvent line = log.await(access("GET /sessions/{sessionId}/events"), "for the history request");
    assertEquals(Level.INFO, line.getLevel());
    Map<String, Object> fields = CapturedLog.pairs(line);
    assertEquals(List.of("status", "bytes", "durationMs", "client"), List.copyOf(fields.keySet()));
    assertEquals(200, fields.get("status"));
    assertEquals((long) history.body().length(), fields.get("bytes"));
    assertTrue((Long) fields.get("durationMs") >= 0);
    assertEquals("127.0.0.1", fields.get("client"));

    HttpResponse<Buffer> published = TestNode.send(node.http.post("/sessions/" + SESSION + "/events?access_token="
            + OTHER_TOKEN).putHeader("Authorization", "Bearer " + TOKEN).putHeader("Content-Type", "application/json"),
        new JsonObject().put("eventType", "note").put("payload", new JsonObject().put("n", 1)).toBuffer());
    assertEquals(201, published.statusCode());
    assertEquals(201, CapturedLog.pairs(log.await(access("POST /sessions/{sessionId}/events"), "for the publish"))
        .get("status"));

    assertEquals(401, TestNode.send(node.http.get("/sessions/" + SESSION + "/presence?access_token=not-a-token"),
        null).statusCode());
    assertEquals(401, CapturedLog.pairs(log.await(access("GET /sessions/{sessionId}/presence"), "for the refusal"))
        .get("status"));

    assertEquals(404, TestNode.send(node.http.get("/nowhere?access_token=" + TOKEN), null).statusCode());
    assertEquals(404, CapturedLog.pairs(log.await(access("GET /nowhere"), "for the unknown path")).get("status"));

    // Probes that find the node healthy are DEBUG, below what the node logs by default. The edge answers on one event
    // loop, so once the next request's line is in, the probe's would be too.
    assertEquals(200, TestNode.send(node.http.get("/health"), null).statusCode());
    TestNode.send(node.http.get("/after-the-probe"), null);
    log.await(access("GET /after-the-probe"), "for the request after the probe");
    assertTrue(log.entries().stream().noneMatch(access("GET /health")), log.text());

    assertNoSecretIn(log.text());
  }

  @Test
  void aWebSocketIsLoggedWhenItClosesWithItsConnectionIdAndCloseCode() {
    WsClient ws = node.connect("sessionId=" + SESSION + "&access_token=" + TOKEN);
    String connectionId = ws.next("connected").getString("connectionId");
    assertTrue(log.entries().stream().noneMatch(connection(connectionId)), "logged when it closes, not before");
    ws.close();
    Map<String, Object> closed = CapturedLog.pairs(log.await(connection(connectionId), "for the WebSocket"));
    assertEquals(List.of("status", "durationMs", "client", "connectionId", "closeCode"),
        List.copyOf(closed.keySet()));
    assertEquals(101, closed.get("status"));
    assertEquals(1000, closed.get("closeCode"));

    String forged = TestTokens.hs256("another-secret-of-at-least-thirty-two-bytes",
        TestTokens.claims("ada-wvkq", List.of("*"), List.of("*"), 3600));
    WsClient refused = node.connect("sessionId=" + SESSION, forged);
    assertEquals(4001, refused.awaitClose());
    ILoggingEvent line = log.await(entry -> access("GET /events").test(entry)
        && Integer.valueOf(4001).equals(CapturedLog.pairs(entry).get("closeCode")), "for the refused WebSocket");
    assertTrue(String.valueOf(CapturedLog.pairs(line).get("connectionId")).matches(UUID));

    assertNoSecretIn(log.text());
    assertFalse(log.text().contains(forged.substring(forged.lastIndexOf('.') + 1)), log.text());
  }

  @Test
  void anSseStreamAndALongPollCarryTheirConnectionIds() {
    SseClient sse = SseClient.open(node, "/events?sessionId=" + SESSION + "&access_token=" + TOKEN, Map.of());
    String connectionId = sse.next("connected").getString("connectionId");
    sse.close();
    Map<String, Object> stream = CapturedLog.pairs(log.await(connection(connectionId), "for the SSE stream"));
    assertEquals(200, stream.get("status"));
    assertTrue((Long) stream.get("bytes") > 0, stream.toString());
    assertNull(stream.get("closeCode"));

    assertEquals(200, TestNode.send(node.http.get("/poll?sessionId=" + SESSION + "&timeoutMs=0")
        .bearerTokenAuthentication(TOKEN), null).statusCode());
    Map<String, Object> poll = CapturedLog.pairs(log.await(access("GET /poll"), "for the long poll"));
    assertEquals(200, poll.get("status"));
    assertTrue(String.valueOf(poll.get("connectionId")).matches(UUID), poll.toString());

    assertNoSecretIn(log.text());
  }

  @Test
  void theAccessLogCanBeTurnedOff() {
    TestNode.send(node.http.get("/logged-here"), null);
    log.await(access("GET /logged-here"), "from a node with the access log on");
    try (TestNode quiet = TestNode.start(Map.of("SB_ACCESS_LOG", "off"))) {
      assertEquals(404, TestNode.send(quiet.http.get("/not-logged-there"), null).statusCode());
      // Its edge answers on one event loop: by the second answer, a line for the first would have been written.
      TestNode.send(quiet.http.get("/not-logged-there-either"), null);
      assertTrue(log.entries().stream().noneMatch(access("GET /not-logged-there")), log.text());
    }
  }

  private static Predicate<ILoggingEvent> access(String message) {
    return entry -> entry.getLoggerName().equals(AccessLog.class.getName())
        && entry.getFormattedMessage().equals(message);
  }

  private static Predicate<ILoggingEvent> connection(String connectionId) {
    return entry -> access("GET /events").test(entry)
        && connectionId.equals(CapturedLog.pairs(entry).get("connectionId"));
  }

  /** Neither token (nor its signature), the Authorization scheme, the session id nor the user id. */
  private static void assertNoSecretIn(String logged) {
    for (String secret : List.of(TOKEN, OTHER_TOKEN, signature(TOKEN), signature(OTHER_TOKEN), "Bearer", "access_token",
        SESSION, "ada-wvkq", "bob-wvkq")) {
      assertFalse(logged.contains(secret), "the log holds " + secret + ":\n" + logged);
    }
  }

  private static String signature(String token) {
    return token.substring(token.lastIndexOf('.') + 1);
  }
}
