package dev.switchboard.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backend hooks against a real hook server (a small HTTP server in this test; docs/PROTOCOL.md, Backend hooks): the
 * subscribe hook's allow, refuse, timeout and failure paths on WebSocket, SSE and long polling, its cached answers;
 * the publish hook's allow, refuse and replace on WebSocket and REST; every call signed; and a hook that hangs holds
 * up nobody else.
 */
class HooksTest {

  private static final String SECRET = "hook-secret-of-at-least-thirty-two-bytes";
  private static final Vertx BACKEND_VERTX = Vertx.vertx();
  /** Calls the backend received, by path and session. */
  private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
  private static final ConcurrentLinkedQueue<String> BAD_SIGNATURES = new ConcurrentLinkedQueue<>();
  private static final HttpServer BACKEND = BACKEND_VERTX.createHttpServer().requestHandler(HooksTest::answer)
      .listen(0, "127.0.0.1").await();

  @RegisterExtension
  static final TestNode node = TestNode.perClass(new JsonObject()
      .put("namespaces", new JsonObject()
          .put("doc", new JsonObject().put("hooks", new JsonObject()
              .put("subscribe", hook("/subscribe").put("timeoutMs", 300))
              .put("publish", hook("/publish").put("timeoutMs", 300))))
          .put("lenient", new JsonObject().put("hooks", new JsonObject()
              .put("subscribe", hook("/hang").put("timeoutMs", 200).put("onFailure", "allow"))))
          .put("cached", new JsonObject().put("hooks", new JsonObject()
              .put("subscribe", hook("/subscribe").put("cacheSec", 3))))),
      Map.of("SB_HOOK_SECRET", SECRET));

  private final String token = TestTokens.user("ada", List.of("*"), List.of("*"));

  @AfterAll
  static void stopBackend() {
    BACKEND_VERTX.close().await();
  }

  @Test
  void theSubscribeHookAllowsOrRefusesOnEveryTransport() {
    try (WsClient allowed = node.connect("sessionId=doc:ok", token)) {
      allowed.next("connected");
    }
    try (WsClient refused = node.connect("sessionId=doc:deny", token)) {
      assertEquals(4003, refused.awaitClose());
      assertEquals("refused by the application: not your document", refused.socket().closeReason());
    }
    try (WsClient socket = node.connect("", token)) {
      socket.next("connected");
      socket.send(new JsonObject().put("type", "subscribe").put("requestId", "r1").put("sessionId", "doc:deny-2"));
      JsonObject error = socket.next("error");
      assertEquals("r1", error.getString("requestId"));
      assertEquals("forbidden", error.getString("code"));
      socket.send(new JsonObject().put("type", "subscribe").put("requestId", "r2").put("sessionId", "doc:slow"));
      JsonObject timedOut = socket.next("error");
      assertEquals("r2", timedOut.getString("requestId"));
      assertEquals("unavailable", timedOut.getString("code"), "a hook that does not answer refuses by default");
    }
    HttpResponse<Buffer> stream = TestNode.send(node.http.get("/events?sessionId=doc:ok&sessionId=doc:deny-3")
        .putHeader("Accept", "text/event-stream").bearerTokenAuthentication(token), null);
    assertEquals(403, stream.statusCode());
    assertEquals("doc:deny-3", stream.bodyAsJsonObject().getJsonObject("error").getJsonArray("sessionIds")
        .getString(0));
    assertEquals(403, node.get("/poll?sessionId=doc:deny-4&timeoutMs=0", token).statusCode());
    assertEquals(200, node.get("/poll?sessionId=doc:ok-2&timeoutMs=0", token).statusCode());
    assertEquals(200, node.get("/poll?sessionId=lenient:x&timeoutMs=0", token).statusCode(),
        "a hook with onFailure allow lets the subscriber in when it does not answer");
    assertEquals(200, node.get("/poll?sessionId=other:x&timeoutMs=0", token).statusCode(), "no hook, no call");
    assertEquals(null, CALLS.get("/subscribe other:x"));
    assertTrue(BAD_SIGNATURES.isEmpty(), "every call is signed: " + BAD_SIGNATURES);
  }

  @Test
  void allowAnswersAreReusedForTheirCacheTimeAndThenAskedAgain() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, node.get("/poll?sessionId=cached:a&timeoutMs=0", token).statusCode());
    }
    assertEquals(1, CALLS.get("/subscribe cached:a").get(), "asked once, then cached");
    Thread.sleep(3100);
    assertEquals(200, node.get("/poll?sessionId=cached:a&timeoutMs=0", token).statusCode());
    assertEquals(2, CALLS.get("/subscribe cached:a").get(), "asked again once the answer expired");
  }

  @Test
  void thePublishHookAllowsRefusesOrReplacesThePayload() {
    try (WsClient reader = node.connect("sessionId=doc:news", token)) {
      reader.next("connected");
      assertEquals(201, publish("doc:news", new JsonObject().put("text", "as is")).statusCode());
      assertEquals("as is", reader.next("event").getJsonObject("payload").getString("text"));
      HttpResponse<Buffer> refused = publish("doc:news", new JsonObject().put("text", "forbidden words"));
      assertEquals(403, refused.statusCode());
      assertEquals("refused by the application: mind your language",
          refused.bodyAsJsonObject().getJsonObject("error").getString("message"));
      reader.send(new JsonObject().put("type", "publish").put("requestId", "p1").put("sessionId", "doc:news")
          .put("eventType", "note").put("payload", new JsonObject().put("text", "replace me")));
      // The ack and the event may come in either order.
      Map<String, JsonObject> byType = new ConcurrentHashMap<>();
      while (!byType.containsKey("ack") || !byType.containsKey("event")) {
        JsonObject frame = reader.next();
        byType.put(frame.getString("type"), frame);
      }
      assertEquals("p1", byType.get("ack").getString("requestId"));
      assertEquals(new JsonObject().put("text", "replaced by the backend"), byType.get("event").getJsonObject("payload"),
          "the stored and delivered payload is the backend's");
    }
  }

  @Test
  void aHookThatHangsHoldsUpNoOtherSession() {
    try (WsClient honest = node.connect("sessionId=plain:room", token);
         WsClient waiting = node.connect("", token)) {
      honest.next("connected");
      waiting.next("connected");
      waiting.send(new JsonObject().put("type", "publish").put("requestId", "h").put("sessionId", "doc:slow")
          .put("eventType", "note").put("payload", 1));
      for (int i = 1; i <= 20; i++) {
        node.publish(token, "plain:room", new JsonObject().put("n", i));
      }
      List<JsonObject> events = honest.events(20);
      assertEquals(20, events.get(19).getJsonObject("payload").getInteger("n"), "in order, none held back");
      assertEquals("unavailable", waiting.next("error").getString("code"));
    }
  }

  @Test
  void aForgedSignatureIsTellable() {
    String body = "{\"hook\":\"subscribe\",\"userId\":\"ada\",\"sessionId\":\"doc:1\"}";
    long now = System.currentTimeMillis() / 1000;
    assertEquals(sign(SECRET, now, body), sign(SECRET, now, body));
    assertNotEquals(sign(SECRET, now, body), sign("another-secret-of-at-least-thirty-two-b", now, body));
    assertNotEquals(sign(SECRET, now, body), sign(SECRET, now, body.replace("ada", "eve")));
  }

  private HttpResponse<Buffer> publish(String session, JsonObject payload) {
    return node.post("/sessions/" + session + "/events", token,
        new JsonObject().put("eventType", "note").put("payload", payload));
  }

  private static JsonObject hook(String path) {
    return new JsonObject().put("url", "http://127.0.0.1:" + BACKEND.actualPort() + path);
  }

  /** The application's backend: checks the signature, then answers by session. */
  private static void answer(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      String body = buffer.toString();
      String signature = request.getHeader("X-Switchboard-Signature");
      long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
      if (!signature.equals(sign(SECRET, t, body)) || Math.abs(System.currentTimeMillis() / 1000 - t) > 300) {
        BAD_SIGNATURES.add(signature);
      }
      JsonObject call = new JsonObject(body);
      String session = call.getString("sessionId");
      CALLS.computeIfAbsent(request.path() + " " + session, k -> new AtomicInteger()).incrementAndGet();
      if (request.path().equals("/hang") || session.startsWith("doc:slow")) {
        return;
      }
      JsonObject verdict = new JsonObject().put("allow", true);
      if (session.contains("deny")) {
        verdict = new JsonObject().put("allow", false).put("reason", "not your document");
      } else if (call.encode().contains("forbidden words")) {
        verdict = new JsonObject().put("allow", false).put("reason", "mind your language");
      } else if (call.encode().contains("replace me")) {
        verdict.put("payload", new JsonObject().put("text", "replaced by the backend"));
      }
      request.response().putHeader("Content-Type", "application/json").end(verdict.encode());
    });
  }

  private static String sign(String secret, long t, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + body)
          .getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
