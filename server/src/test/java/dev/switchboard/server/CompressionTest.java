package dev.switchboard.server;

import dev.switchboard.protocol.TcpProxy;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compression when it is on (SB_WS_COMPRESSION, SB_HTTP_COMPRESSION): a WebSocket that offers permessage-deflate
 * gets it and receives events compressed on the wire, one that does not receives the shared uncompressed frames,
 * history pages are gzip-encoded for a client that accepts it, and SSE streams stay identity-encoded.
 */
class CompressionTest {

  @RegisterExtension
  static final TestNode NODE = TestNode.perClass(Map.of("SB_WS_COMPRESSION", "true", "SB_HTTP_COMPRESSION", "true"));
  private static final String SESSION = "zip-room";
  /** A chat message's worth of text, repetitive as JSON is: about 8 KB. */
  private static final String TEXT = "the quick brown fox jumps over the lazy dog; ".repeat(180);
  private static String token;
  private static TcpProxy proxy;

  @BeforeAll
  static void tokens() {
    token = TestTokens.user("ada", List.of(SESSION), List.of(SESSION));
    proxy = TcpProxy.start(NODE.vertx, "127.0.0.1", NODE.port());
  }

  @AfterAll
  static void closeProxy() {
    proxy.close();
  }

  @Test
  void aWebSocketOfferingDeflateGetsEventsCompressedAndOneNotOfferingItGetsThemPlain() {
    WebSocketClient deflating = NODE.vertx.createWebSocketClient(new WebSocketClientOptions()
        .setTryUsePerMessageCompression(true));
    WebSocketConnectOptions throughProxy = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(proxy.port())
        .setURI("/events?sessionId=" + SESSION + "&access_token=" + token);
    try (WsClient compressed = WsClient.connect(deflating, throughProxy);
         WsClient plain = NODE.connect("sessionId=" + SESSION + "&access_token=" + token)) {
      assertTrue(compressed.socket().headers().get("Sec-WebSocket-Extensions").startsWith("permessage-deflate"));
      assertNull(plain.socket().headers().get("Sec-WebSocket-Extensions"));
      compressed.next("replayed");
      plain.next("replayed");
      long before = proxy.bytesFromTarget();
      for (int n = 0; n < 5; n++) {
        NODE.publish(token, SESSION, new JsonObject().put("n", n).put("text", TEXT));
      }
      for (int n = 0; n < 5; n++) {
        assertEquals(TEXT, compressed.next("event").getJsonObject("payload").getString("text"));
        assertEquals(n, plain.next("event").getJsonObject("payload").getInteger("n"));
      }
      long wire = proxy.bytesFromTarget() - before;
      assertTrue(wire < TEXT.length(), "five 8 KB events in " + wire + " bytes on the wire");
    } finally {
      deflating.close();
    }
  }

  @Test
  void historyIsGzippedForAClientThatAcceptsItAndSseStaysIdentity() throws Exception {
    NODE.publish(token, SESSION, new JsonObject().put("text", TEXT));
    HttpClient client = NODE.vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(false));
    try {
      // The body is taken in the same task as the answer: read later, its bytes could already be gone.
      Map.Entry<HttpClientResponse, Integer> history = client.request(HttpMethod.GET, NODE.port(), "127.0.0.1",
              "/sessions/" + SESSION + "/events?after=0")
          .compose(request -> request.putHeader("Authorization", "Bearer " + token)
              .putHeader("Accept-Encoding", "gzip").send())
          .compose(response -> response.body().map(body -> Map.entry(response, body.length())))
          .await(10, TimeUnit.SECONDS);
      assertEquals(200, history.getKey().statusCode());
      assertEquals("gzip", history.getKey().getHeader("Content-Encoding"));
      assertTrue(history.getValue() < TEXT.length() / 4, "a page with an 8 KB event in " + history.getValue()
          + " bytes");

      HttpClientResponse health = client.request(HttpMethod.GET, NODE.port(), "127.0.0.1", "/health")
          .compose(request -> request.putHeader("Accept-Encoding", "gzip").send())
          .compose(response -> response.body().map(response)).await(10, TimeUnit.SECONDS);
      assertNull(health.getHeader("Content-Encoding"), "answers under 1 KiB are sent as they are");
    } finally {
      client.close();
    }
    try (SseClient sse = SseClient.open(NODE, "/events?sessionId=" + SESSION + "&fromEventId=0&access_token=" + token,
        Map.of("Accept-Encoding", "gzip"))) {
      // Netty's compressor takes the stream's "identity" as a reason to leave it alone, and drops the header.
      assertNull(sse.response.getHeader("Content-Encoding"), "no content coding: the stream is as it was written");
      assertEquals(TEXT, sse.next("event").getJsonObject("payload").getString("text"));
    }
  }
}
