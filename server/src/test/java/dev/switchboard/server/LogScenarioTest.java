package dev.switchboard.server;

import dev.switchboard.protocol.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scripted session, in each {@code SB_LOG_FORMAT}, read back from the console as an operator's collector would:
 * every line is one line of the format; a session id, a user id, a token (good or forged) or a payload never shows;
 * the access log has a line for each request and connection, with the connection ids the clients were given; and
 * publishing and delivering events adds no line at INFO (docs/ARCHITECTURE.md, Logs).
 */
class LogScenarioTest {

  private static final String SESSION = "lobby-qzxw";
  private static final String USER = "ada-wvkq";
  private static final String MARKER = "marker-of-a-payload-yqjz";
  private static final String TOKEN = TestTokens.user(USER, List.of(SESSION), List.of(SESSION));
  private static final String FORGED = TestTokens.hs256("another-secret-of-at-least-thirty-two-bytes",
      TestTokens.claims(USER, List.of("*"), List.of("*"), 3600));
  private static final int QUIET_EVENTS = 20;

  @ParameterizedTest
  @EnumSource(LogFormat.class)
  void aSessionsLifeLogsItsRequestsAndNoSecret(LogFormat format) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream surefire = System.out;
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    format.install();
    Scenario seen;
    try (TestNode node = TestNode.start()) {
      seen = run(node, console);
    } finally {
      LogFormat.TEXT.install();
      System.setOut(surefire);
    }
    byte[] bytes = console.toByteArray();
    String logged = new String(bytes, StandardCharsets.UTF_8);
    surefire.print(logged);

    List<LoggedLine> lines = new ArrayList<>();
    logged.lines().forEach(line -> lines.add(LoggedLine.parse(format, line)));
    for (String secret : List.of(TOKEN, FORGED, claims(TOKEN), claims(FORGED), signature(TOKEN), signature(FORGED),
        "Bearer", "access_token", MARKER, SESSION, USER)) {
      assertFalse(logged.contains(secret), "the log holds " + secret + ":\n" + logged);
    }

    assertAccess(lines, "GET /events", Map.of("status", "101", "connectionId", seen.webSocket, "closeCode", "1000"));
    assertAccess(lines, "GET /events", Map.of("status", "200", "connectionId", seen.stream));
    assertTrue(lines.stream().anyMatch(line -> line.isAccess("GET /poll", Map.of("status", "200"))
        && line.fields().getOrDefault("connectionId", "").matches("[0-9a-f-]{36}")), "a long poll has its id");
    assertAccess(lines, "POST /sessions/{sessionId}/events", Map.of("status", "201", "client", "127.0.0.1"));
    assertAccess(lines, "GET /sessions/{sessionId}/events", Map.of("status", "401"));
    assertAccess(lines, "GET /events", Map.of("status", "101", "closeCode", "4001"));
    assertAccess(lines, "GET /events", Map.of("status", "401"));

    String quiet = new String(bytes, seen.quietFrom, seen.quietTo - seen.quietFrom, StandardCharsets.UTF_8);
    List<String> whilePublishing = new ArrayList<>();
    quiet.lines().map(line -> LoggedLine.parse(format, line))
        .filter(line -> line.level().equals("INFO") && !line.isAccess())
        .forEach(line -> whilePublishing.add(line.toString()));
    assertEquals(List.of(), whilePublishing, QUIET_EVENTS + " events published over the WebSocket and delivered"
        + " over the WebSocket and the SSE stream log nothing at INFO");
  }

  /** The connection ids the clients were given, and where the quiet publishing began and ended on the console. */
  private record Scenario(String webSocket, String stream, int quietFrom, int quietTo) {
  }

  private static Scenario run(TestNode node, ByteArrayOutputStream console) {
    WsClient ws = node.connect("sessionId=" + SESSION + "&access_token=" + TOKEN);
    String webSocket = ws.next("connected").getString("connectionId");
    SseClient sse = SseClient.open(node, "/events?sessionId=" + SESSION, Map.of("Authorization", "Bearer " + TOKEN));
    String stream = sse.next("connected").getString("connectionId");
    var pollRequest = node.http.get("/poll?sessionId=" + SESSION + "&fromEventId=0&timeoutMs=20000&access_token="
        + TOKEN);
    var poll = pollRequest.send();

    node.publish(TOKEN, SESSION, new JsonObject().put("note", MARKER));
    ws.send(new JsonObject().put("type", "publish").put("requestId", "1").put("eventType", "note")
        .put("payload", new JsonObject().put("note", MARKER)));
    ws.events(2).forEach(event -> assertEquals(MARKER, event.getJsonObject("payload").getString("note")));
    sse.asSubscriber().events(2);
    HttpResponse<Buffer> polled;
    try {
      polled = SpecViolations.checked(pollRequest, poll.await(20, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new AssertionError("the long poll was not answered", e);
    }
    assertTrue(polled.bodyAsString().contains(MARKER), polled.bodyAsString());

    int quietFrom = console.size();
    for (int i = 0; i < QUIET_EVENTS; i++) {
      ws.send(new JsonObject().put("type", "publish").put("requestId", "q" + i).put("eventType", "note")
          .put("payload", new JsonObject().put("note", MARKER + i)));
    }
    ws.events(QUIET_EVENTS);
    sse.asSubscriber().events(QUIET_EVENTS);
    int quietTo = console.size();

    assertEquals(401, TestNode.send(node.http.get("/sessions/" + SESSION + "/events?after=0&access_token=" + FORGED)
        .putHeader("Authorization", "Bearer " + FORGED), null).statusCode());
    assertEquals(4001, node.connect("sessionId=" + SESSION + "&access_token=" + FORGED).awaitClose());
    SseClient refused = SseClient.open(node, "/events?sessionId=" + SESSION + "&access_token=" + FORGED, Map.of());
    assertEquals(401, refused.response.statusCode());
    ws.close();
    sse.close();
    // The node has seen the close (and logged its code) before the test stops it, which would close with 1012.
    Await.until(() -> node.node.edge().openWebSocketsPerLoop().await().stream().mapToInt(Integer::intValue).sum() == 0);
    return new Scenario(webSocket, stream, quietFrom, quietTo);
  }

  private static void assertAccess(List<LoggedLine> lines, String message, Map<String, String> fields) {
    assertTrue(lines.stream().anyMatch(line -> line.isAccess(message, fields)),
        "no access-log line " + message + " " + fields + " in\n" + String.join("\n",
            lines.stream().filter(LoggedLine::isAccess).map(LoggedLine::toString).toList()));
  }

  private static String claims(String token) {
    return token.split("\\.")[1];
  }

  private static String signature(String token) {
    return token.split("\\.")[2];
  }
}
