package dev.switchboard.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connect hook against a real hook server (a small HTTP server in this test; docs/PROTOCOL.md, Backend hooks):
 * a connection without a JWT is the user the backend names from its cookies and chosen headers, on WebSocket, SSE,
 * long polling and REST; refusals (401/4001, 403/4003), a hook that does not answer (503/1011), cached answers and
 * their expiry, the answer's {@code exp} ending a WebSocket, and the start-up rule on SB_ALLOWED_ORIGINS.
 */
class ConnectHookTest {

  private static final String SECRET = "hook-secret-of-at-least-thirty-two-bytes";
  private static final Vertx BACKEND_VERTX = Vertx.vertx();
  /** Calls the backend received, by the cookie's session value. */
  private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
  /** The last call's body, by the cookie's session value. */
  private static final Map<String, JsonObject> BODIES = new ConcurrentHashMap<>();
  private static final HttpServer BACKEND = BACKEND_VERTX.createHttpServer().requestHandler(ConnectHookTest::answer)
      .listen(0, "127.0.0.1").await();

  @RegisterExtension
  static final TestNode node = TestNode.perClass(config(), Map.of("SB_HOOK_SECRET", SECRET,
      "SB_ALLOWED_ORIGINS", "https://app.example"));

  @AfterAll
  static void stopBackend() {
    BACKEND_VERTX.close().await();
  }

  @Test
  void aWebSocketWithTheUsersCookieIsTheUserTheBackendNames() {
    try (WsClient socket = connect("sessionId=doc:1", "session=ada")) {
      JsonObject connected = socket.next("connected");
      assertEquals("ada", connected.getString("userId"));
      socket.send(new JsonObject().put("type", "subscribe").put("requestId", "s").put("sessionId", "chat:1"));
      assertEquals("forbidden", socket.next("error").getString("code"), "only the sessions the answer grants");
      socket.send(new JsonObject().put("type", "publish").put("requestId", "p").put("sessionId", "doc:1")
          .put("eventType", "note").put("payload", 1));
      assertEquals("ada", socket.next("event").getString("userId"));
    }
    JsonObject body = BODIES.get("ada");
    assertEquals("connect", body.getString("hook"));
    assertEquals("websocket", body.getString("transport"));
    assertEquals(new JsonObject().put("cookie", "session=ada").put("x-csrf", "csrf-1"), body.getJsonObject("headers"),
        "the cookie and the chosen header, nothing else");
  }

  @Test
  void sseStreamsPollsAndRestCallsAreTheUserToo() {
    SseClient stream = SseClient.open(node, "/events?sessionId=doc:2", Map.of("Cookie", "session=ada"));
    try {
      assertEquals("ada", stream.next("connected").getString("userId"));
    } finally {
      stream.close();
    }
    assertEquals("sse", BODIES.get("ada").getString("transport"));
    // Other cookies each time, so the hook is asked each time rather than its cached answer reused.
    assertEquals(200, get("/poll?sessionId=doc:2&timeoutMs=0", "session=ada; n=2").statusCode());
    assertEquals("poll", BODIES.get("ada").getString("transport"));
    HttpResponse<Buffer> published = TestNode.send(node.http.post("/sessions/doc:2/events")
        .putHeader("Cookie", "session=ada; n=3"), new JsonObject().put("eventType", "note").put("payload", 2)
        .toBuffer());
    assertEquals(201, published.statusCode());
    assertEquals("rest", BODIES.get("ada").getString("transport"));
    assertEquals(200, get("/sessions/doc:2/events", "session=ada; n=4").statusCode());
    assertEquals(403, get("/sessions/chat:2/events", "session=ada").statusCode(), "not granted");
  }

  @Test
  void refusalsSayWhetherLoggingInAgainCanHelp() {
    try (WsClient gone = connect("sessionId=doc:3", "session=gone")) {
      assertEquals(4001, gone.awaitClose());
      assertEquals("refused by the application: log in again", gone.socket().closeReason());
    }
    try (WsClient banned = connect("sessionId=doc:3", "session=banned")) {
      assertEquals(4003, banned.awaitClose());
      assertEquals("refused by the application: account suspended", banned.socket().closeReason());
    }
    SseClient refused = SseClient.open(node, "/events?sessionId=doc:3", Map.of("Cookie", "session=gone"));
    assertEquals(401, refused.response.statusCode());
    refused.close();
    assertEquals(401, get("/poll?sessionId=doc:3&timeoutMs=0", "session=gone").statusCode());
    HttpResponse<Buffer> forbidden = get("/sessions/doc:3/events", "session=banned");
    assertEquals(403, forbidden.statusCode());
    assertEquals("refused by the application: account suspended",
        forbidden.bodyAsJsonObject().getJsonObject("error").getString("message"));
  }

  @Test
  void aHookThatDoesNotAnswerOrAnswersWronglyRefusesWithAnUnavailable() {
    try (WsClient slow = connect("sessionId=doc:4", "session=slow")) {
      assertEquals(1011, slow.awaitClose());
    }
    assertEquals(503, get("/poll?sessionId=doc:4&timeoutMs=0", "session=slow").statusCode());
    assertEquals(503, get("/sessions/doc:4/events", "session=broken").statusCode(), "a 500 from the backend");
    assertEquals(503, get("/sessions/doc:4/events", "session=nouser").statusCode(), "an allow without a userId");
  }

  @Test
  void allowAnswersAreReusedForTheirCacheTimeAndThenAskedAgain() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, get("/poll?sessionId=doc:5&timeoutMs=0", "session=cached").statusCode());
    }
    try (WsClient socket = connect("sessionId=doc:5", "session=cached")) {
      assertEquals("cached", socket.next("connected").getString("userId"));
    }
    assertEquals(1, CALLS.get("cached").get(), "asked once, then the same cookies reuse the answer");
    assertEquals(200, get("/poll?sessionId=doc:5&timeoutMs=0", "session=cached; theme=dark").statusCode());
    assertEquals(2, CALLS.get("cached").get(), "other cookies are another key");
    Thread.sleep(2100);
    assertEquals(200, get("/poll?sessionId=doc:5&timeoutMs=0", "session=cached").statusCode());
    assertEquals(3, CALLS.get("cached").get(), "asked again once the answer expired");
    for (int i = 0; i < 2; i++) {
      assertEquals(401, get("/poll?sessionId=doc:5&timeoutMs=0", "session=gone-twice").statusCode());
    }
    assertEquals(2, CALLS.get("gone-twice").get(), "refusals are never kept");
  }

  @Test
  void theAnswersExpEndsTheWebSocketLikeATokensExpiry() {
    try (WsClient socket = connect("sessionId=doc:6", "session=short")) {
      assertEquals("short", socket.next("connected").getString("userId"));
      assertEquals(4001, socket.awaitClose());
      assertEquals("token expired", socket.socket().closeReason());
    }
  }

  @Test
  void withoutCookiesOrWithATokenTheHookIsNotAsked() {
    try (WsClient socket = node.connect("sessionId=doc:7")) {
      assertEquals(4001, socket.awaitClose(), "waits for an auth frame, as without a hook");
    }
    assertEquals(401, node.get("/sessions/doc:7/events", null).statusCode());
    String token = TestTokens.user("bob", List.of("*"), List.of("*"));
    HttpResponse<Buffer> withToken = TestNode.send(node.http.get("/sessions/doc:7/events")
        .putHeader("Cookie", "session=tokenholder").bearerTokenAuthentication(token), null);
    assertEquals(200, withToken.statusCode());
    assertNull(CALLS.get("tokenholder"), "a request with a JWT is its token's user");
  }

  @Test
  void aConnectHookThatTrustsCookiesNeedsExplicitAllowedOrigins() {
    for (Map<String, String> env : List.of(Map.of("SB_HOOK_SECRET", SECRET),
        Map.of("SB_HOOK_SECRET", SECRET, "SB_ALLOWED_ORIGINS", "*"))) {
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TestNode.start(config(), env));
      Throwable cause = refused;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertTrue(cause.getMessage().contains("SB_ALLOWED_ORIGINS must list the origins"), cause.getMessage());
    }
    JsonObject headerOnly = config();
    headerOnly.getJsonObject("hooks").getJsonObject("connect").put("headers", List.of("X-Session"));
    TestNode started = TestNode.start(headerOnly, Map.of("SB_HOOK_SECRET", SECRET));
    started.close();
    assertFalse(started.vertx == null, "a hook that forwards no cookie starts with any origin");
  }

  private static JsonObject config() {
    return new JsonObject().put("hooks", new JsonObject().put("connect", new JsonObject()
        .put("url", "http://127.0.0.1:" + BACKEND.actualPort() + "/connect").put("timeoutMs", 300).put("cacheSec", 2)
        .put("headers", List.of("Cookie", "X-Csrf"))));
  }

  private static WsClient connect(String query, String cookie) {
    return WsClient.connect(node, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI("/events?" + query).setAllowOriginHeader(false).addHeader("Cookie", cookie)
        .addHeader("X-Csrf", "csrf-1"));
  }

  private static HttpResponse<Buffer> get(String path, String cookie) {
    return TestNode.send(node.http.get(path).putHeader("Cookie", cookie).putHeader("X-Csrf", "csrf-1"), null);
  }

  /** The application's backend: answers by the value of the {@code session} cookie. */
  private static void answer(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      JsonObject call = new JsonObject(buffer.toString());
      String cookie = call.getJsonObject("headers").getString("cookie");
      String user = cookie.substring("session=".length()).split(";")[0];
      CALLS.computeIfAbsent(user, k -> new AtomicInteger()).incrementAndGet();
      BODIES.put(user, call);
      JsonObject verdict = switch (user) {
        case "slow" -> null;
        case "broken" -> new JsonObject();
        case "gone", "gone-twice" -> new JsonObject().put("allow", false).put("reason", "log in again");
        case "banned" -> new JsonObject().put("allow", false).put("status", "forbidden")
            .put("reason", "account suspended");
        case "nouser" -> new JsonObject().put("allow", true);
        case "short" -> new JsonObject().put("allow", true).put("userId", user).put("sessions", "doc:*")
            .put("exp", System.currentTimeMillis() / 1000 + 2);
        default -> new JsonObject().put("allow", true).put("userId", user).put("name", "Ada")
            .put("sessions", List.of("doc:*")).put("publish", List.of("doc:*"));
      };
      if (verdict == null) {
        return;
      }
      if (verdict.isEmpty()) {
        request.response().setStatusCode(500).end();
        return;
      }
      request.response().putHeader("Content-Type", "application/json").end(verdict.encode());
    });
  }
}
