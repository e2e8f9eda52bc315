package dev.switchboard.server;

import dev.switchboard.protocol.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
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
    // From an address of its own: every TCP connection of an address counts, the other tests' included.
    WebSocketClient from2 = node.vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress("127.0.0.2"));
    WsClient first = connect(from2, null);
    WsClient second = connect(from2, null);
    first.next("connected");
    second.next("connected");
    try (WsClient third = connect(from2, null)) {
      assertEquals(4008, third.awaitClose());
    }
    first.close();
    first.awaitClose();
    // The node frees the first socket's place on the loop that holds it, which may come after the next connection
    // is accepted on another loop: wait until it has.
    Await.until(() -> node.node.edge().openWebSocketsPerLoop().await().stream().mapToInt(Integer::intValue).sum() == 1);
    try (WsClient again = connect(from2, null)) {
      again.next("connected");
    }
    second.close();
  }

  @Test
  void aWebSocketFromAnOriginNotAllowedIsClosedWith4003() {
    WebSocketClient from3 = node.vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress("127.0.0.3"));
    assertEquals(4003, connect(from3, "https://evil.example").awaitClose());
    try (WsClient allowed = connect(from3, "https://app.example.com")) {
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

  private static WsClient connect(WebSocketClient client, String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI("/events?sessionId=limits&access_token=" + ALICE);
    if (origin != null) {
      options.addHeader("Origin", origin);
    } else {
      options.setAllowOriginHeader(false);
    }
    return WsClient.connect(client, options);
  }
}
