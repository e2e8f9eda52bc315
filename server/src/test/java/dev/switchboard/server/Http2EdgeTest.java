package dev.switchboard.server;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/2 on the TLS port (docs/PROTOCOL.md, HTTP/2): many SSE streams and REST calls on one connection, the limits
 * the node announces and enforces, and hostile HTTP/2 clients (rapid reset, PING and SETTINGS floods) sent away with
 * a GOAWAY while an honest client on the same node receives every event in order.
 */
class Http2EdgeTest {

  private static final int MAX_STREAMS = 60;
  private static final int MAX_PER_ADDRESS = 40;
  private static final long ENHANCE_YOUR_CALM = 0xb;
  private static TestNode node;
  private static HttpClient h2;

  @BeforeAll
  static void startNode() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-h2");
    SelfSignedFiles files = SelfSignedFiles.create(dir, "h2", "EC");
    node = TestNode.start(Map.of("SB_TLS_CERT_FILE", files.cert().toString(),
        "SB_TLS_KEY_FILE", files.key().toString(), "SB_HTTP2_MAX_STREAMS", Integer.toString(MAX_STREAMS),
        "SB_MAX_CONNECTIONS_PER_IP", Integer.toString(MAX_PER_ADDRESS), "SB_HANDSHAKES_PER_SEC", "1000"));
    h2 = oneConnection();
  }

  @AfterAll
  static void stopNode() {
    h2.close();
    node.close();
  }

  /** A client that speaks HTTP/2 (offered through ALPN) on a single connection. */
  private static HttpClient oneConnection() {
    return node.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2).setHttp2MultiplexingLimit(MAX_STREAMS),
        new PoolOptions().setHttp2MaxSize(1));
  }

  @Test
  void twentySseStreamsOfTwentySessionsShareOneConnectionAndEachGetsEveryEvent() {
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sessions.add("h2-room-" + i);
    }
    String token = TestTokens.user("ada", sessions, sessions);
    List<SseClient> streams = new ArrayList<>();
    try {
      Set<HttpConnection> connections = new HashSet<>();
      for (String session : sessions) {
        SseClient stream = SseClient.open(node, h2, "/events?sessionId=" + session + "&access_token=" + token,
            Map.of());
        assertEquals(200, stream.response.statusCode());
        assertEquals(HttpVersion.HTTP_2, stream.response.version());
        assertEquals("connected", stream.next("connected").getString("type"));
        streams.add(stream);
        connections.add(stream.response.request().connection());
      }
      assertEquals(1, connections.size(), "every stream on the one HTTP/2 connection");
      for (int round = 0; round < 3; round++) {
        for (String session : sessions) {
          node.publish(token, session, new JsonObject().put("round", round));
        }
      }
      for (int i = 0; i < sessions.size(); i++) {
        for (int round = 0; round < 3; round++) {
          JsonObject event = streams.get(i).next("event");
          assertEquals(sessions.get(i), event.getString("sessionId"));
          assertEquals(round, event.getJsonObject("payload").getInteger("round"));
        }
      }
    } finally {
      streams.forEach(SseClient::reset);
    }
  }

  @Test
  void restLongPollingAndTheProbesAnswerOverHttp2() throws Exception {
    String token = TestTokens.user("ada", List.of("h2-rest"), List.of("h2-rest"));
    HttpClientResponse health = h2.request(HttpMethod.GET, node.port(), "127.0.0.1", "/health")
        .compose(HttpClientRequest::send).await(10, TimeUnit.SECONDS);
    assertEquals(HttpVersion.HTTP_2, health.version());
    assertEquals(200, health.statusCode());
    Buffer body = new JsonObject().put("eventType", "note").put("payload", new JsonObject().put("n", 1)).toBuffer();
    HttpClientResponse published = h2.request(HttpMethod.POST, node.port(), "127.0.0.1", "/sessions/h2-rest/events")
        .compose(request -> request.putHeader("Authorization", "Bearer " + token)
            .putHeader("Content-Type", "application/json").send(body))
        .await(10, TimeUnit.SECONDS);
    assertEquals(201, published.statusCode());
    assertEquals(HttpVersion.HTTP_2, published.version());
    JsonObject history = h2.request(HttpMethod.GET, node.port(), "127.0.0.1", "/sessions/h2-rest/events?after=0")
        .compose(request -> request.putHeader("Authorization", "Bearer " + token).send())
        .compose(HttpClientResponse::body).await(10, TimeUnit.SECONDS).toJsonObject();
    assertEquals(1, history.getJsonArray("events").size(), history.encode());
    HttpClientResponse poll = h2.request(HttpMethod.GET, node.port(), "127.0.0.1",
            "/poll?sessionId=h2-rest&fromEventId=0&timeoutMs=5000")
        .compose(request -> request.putHeader("Authorization", "Bearer " + token).send())
        .compose(response -> response.body().map(response)).await(10, TimeUnit.SECONDS);
    assertEquals(HttpVersion.HTTP_2, poll.version());
    JsonObject polled = poll.body().await(10, TimeUnit.SECONDS).toJsonObject();
    assertEquals(1, polled.getJsonArray("events").size(), "a long poll over HTTP/2: " + polled.encode());
  }

  @Test
  void aPageOfTheNodeGetsADevTokenOverHttp2WhereTheAuthorityReplacesHost() throws Exception {
    Buffer body = new JsonObject().put("sub", "ada").toBuffer();
    int status = h2.request(HttpMethod.POST, node.port(), "127.0.0.1", "/dev/token")
        .compose(request -> request.putHeader("Origin", "https://127.0.0.1:" + node.port())
            .putHeader("Content-Type", "application/json").send(body))
        .await(10, TimeUnit.SECONDS).statusCode();
    assertEquals(200, status);
    int foreign = h2.request(HttpMethod.POST, node.port(), "127.0.0.1", "/dev/token")
        .compose(request -> request.putHeader("Origin", "https://elsewhere.example")
            .putHeader("Content-Type", "application/json").send(body))
        .await(10, TimeUnit.SECONDS).statusCode();
    assertEquals(403, foreign);
  }

  @Test
  void theConnectionAnnouncesTheConfiguredLimits() throws Exception {
    HttpClientResponse response = h2.request(HttpMethod.GET, node.port(), "127.0.0.1", "/health")
        .compose(HttpClientRequest::send).await(10, TimeUnit.SECONDS);
    Http2Settings announced = response.request().connection().remoteSettings();
    assertEquals(MAX_STREAMS, announced.getMaxConcurrentStreams());
    assertEquals(65_535, announced.getInitialWindowSize());
    assertEquals(8192, announced.getMaxHeaderListSize());
  }

  @Test
  void everyLongLivedStreamCountsAgainstTheAddressLikeAConnection() {
    String token = TestTokens.user("ada", List.of("h2-limit"), List.of());
    List<SseClient> streams = new ArrayList<>();
    int refused = 0;
    try {
      for (int i = 0; i < MAX_PER_ADDRESS + 5; i++) {
        SseClient stream = SseClient.open(node, h2, "/events?sessionId=h2-limit&access_token=" + token, Map.of());
        streams.add(stream);
        if (stream.response.statusCode() == 429) {
          refused++;
        } else {
          assertEquals(200, stream.response.statusCode());
        }
      }
      // The connection itself and the test's REST connections count too: the last few are refused, not all accepted.
      assertTrue(refused >= 6, "streams past the address's limit refused: " + refused);
    } finally {
      streams.forEach(SseClient::reset);
    }
  }

  @Test
  void rapidResetsAndControlFrameFloodsGetAGoAwayWhileAnHonestClientGetsEveryEventInOrder() throws Exception {
    String token = TestTokens.user("bob", List.of("h2-honest"), List.of("h2-honest"));
    HttpClient honestClient = oneConnection();
    SseClient honest = SseClient.open(node, honestClient, "/events?sessionId=h2-honest&fromEventId=0&access_token="
        + token, Map.of());
    HttpClient resetting = oneConnection();
    HttpClient pinging = oneConnection();
    HttpClient settling = oneConnection();
    try {
      assertEquals(HttpVersion.HTTP_2, honest.response.version());
      long first = node.publish(token, "h2-honest", new JsonObject().put("n", 0));

      // Rapid reset: streams opened and cancelled at once, past the node's budget of resets. The node sends a GOAWAY
      // and closes; the client, still writing, may fail before it reads the GOAWAY, so the close is what is checked.
      HttpConnection resetConnection = connectionOf(resetting);
      CompletableFuture<Void> resetClosed = new CompletableFuture<>();
      resetConnection.closeHandler(v -> resetClosed.complete(null));
      for (int i = 0; i < 400 && !resetClosed.isDone(); i++) {
        resetting.request(HttpMethod.GET, node.port(), "127.0.0.1", "/health")
            .compose(request -> request.sendHead().map(request))
            .onSuccess(HttpClientRequest::reset);
        if (i % 50 == 49) {
          Thread.sleep(20);
        }
      }
      resetClosed.get(20, TimeUnit.SECONDS);

      // PING and SETTINGS floods: sent until the node has had enough (a budget, so however slowly they leave here).
      assertEquals(ENHANCE_YOUR_CALM, flood(pinging, connection -> connection.ping(Buffer.buffer("12345678"))),
          "ENHANCE_YOUR_CALM");
      int[] value = {10};
      assertEquals(ENHANCE_YOUR_CALM, flood(settling, connection -> connection.updateSettings(
          new Http2Settings().setMaxConcurrentStreams(value[0]++))), "ENHANCE_YOUR_CALM");

      List<Long> published = new ArrayList<>();
      published.add(first);
      for (int n = 1; n <= 20; n++) {
        published.add(node.publish(token, "h2-honest", new JsonObject().put("n", n)));
      }
      for (long eventId : published) {
        assertEquals(eventId, Long.parseLong(honest.next("event").getString("eventId")));
      }
      assertFalse(honest.ended, "the honest stream stays open");
    } finally {
      honest.reset();
      Future.join(List.of(honestClient.close(), resetting.close(), pinging.close(), settling.close()))
          .await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Sends {@code frame} on {@code client}'s connection until the node ends it; answers the GOAWAY's error code, or
   * {@link #ENHANCE_YOUR_CALM} when the close came first (the node's GOAWAY can be lost when its close meets frames
   * still in flight: the peer then sees a reset).
   */
  private static long flood(HttpClient client, Consumer<HttpConnection> frame) throws Exception {
    HttpConnection connection = connectionOf(client);
    CompletableFuture<Long> ended = new CompletableFuture<>();
    connection.goAwayHandler(away -> ended.complete(away.getErrorCode()));
    connection.closeHandler(v -> ended.complete(ENHANCE_YOUR_CALM));
    for (int i = 0; i < 5_000 && !ended.isDone(); i++) {
      node.vertx.runOnContext(v -> frame.accept(connection));
      if (i % 100 == 99) {
        Thread.sleep(10);
      }
    }
    return ended.get(20, TimeUnit.SECONDS);
  }

  /** Opens {@code client}'s one connection with a first request and returns it. */
  private static HttpConnection connectionOf(HttpClient client) throws Exception {
    HttpClientResponse response = client.request(HttpMethod.GET, node.port(), "127.0.0.1", "/health")
        .compose(HttpClientRequest::send).await(10, TimeUnit.SECONDS);
    assertEquals(HttpVersion.HTTP_2, response.version());
    return response.request().connection();
  }
}
