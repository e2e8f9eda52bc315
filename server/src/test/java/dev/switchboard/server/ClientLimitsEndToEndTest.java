package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Connections per client address, allowed origins for WebSockets, and CORS for REST. */
class ClientLimitsEndToEndTest {

  private static final String ALICE = TestTokens.user("alice", List.of("*"), List.of("*"));
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("SB_MAX_CONNECTIONS_PER_IP", "2",
      "SB_ALLOWED_ORIGINS", "https://app.example.com, http://localhost:3000"));

  @Test
  void aThirdConnectionFromOneAddressIsClosedWith4008UntilOneCloses() {
    WsClient first = node.connect("sessionId=limits", ALICE);
    WsClient second = node.connect("sessionId=limits", ALICE);
    first.next("connected");
    second.next("connected");
    try (WsClient third = node.connect("sessionId=limits", ALICE)) {
      assertEquals(4008, third.awaitClose());
    }
    first.close();
    first.awaitClose();
    try (WsClient again = node.connect("sessionId=limits", ALICE)) {
      again.next("connected");
    }
    second.close();
  }

  @Test
  void aWebSocketFromAnOriginNotAllowedIsClosedWith4003() {
    assertEquals(4003, connectFrom("https://evil.example").awaitClose());
    try (WsClient allowed = connectFrom("https://app.example.com")) {
      allowed.next("connected");
    }
  }

  @Test
  void restAnswersCorsPreflightsForAllowedOriginsOnly() throws Exception {
    HttpResponse<Buffer> allowed = node.http.request(HttpMethod.OPTIONS, "/sessions/s/events")
        .putHeader("Origin", "http://localhost:3000").putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "authorization,content-type").send().await(10, TimeUnit.SECONDS);
    assertEquals("http://localhost:3000", allowed.getHeader("Access-Control-Allow-Origin"));
    HttpResponse<Buffer> refused = TestNode.send(node.http.request(HttpMethod.GET, "/health")
        .putHeader("Origin", "https://evil.example"), null);
    assertEquals(403, refused.statusCode());
  }

  private static WsClient connectFrom(String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI("/events?sessionId=origins&access_token=" + ALICE).addHeader("Origin", origin);
    return WsClient.connect(node, options);
  }
}
