package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.realtime.hub.EncodedEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tripwire for the Vert.x and Netty internals {@link WebSocketWriter} reaches: on a real socket, a frame sent at
 * once, an event written under the WebSocket encoder and flushed at the end of its round, an event written outside a
 * round, and a close code all reach the client intact. A Vert.x upgrade that moves them fails here.
 */
class WebSocketWriterTest {

  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void framesAndEventsReachTheClientAndTheCloseCodeToo() throws Exception {
    CompletableFuture<Boolean> belowEncoder = new CompletableFuture<>();
    server = vertx.createHttpServer().webSocketHandler(ws -> {
      WebSocketWriter writer = new WebSocketWriter(ws, 1 << 20);
      belowEncoder.complete(writer.writesBelowEncoder());
      writer.send(Buffer.buffer("{\"type\":\"pong\"}"));
      EncodedEvent inRound = new EncodedEvent(1, Buffer.buffer("{\"type\":\"event\",\"eventId\":\"1\"}"));
      boolean flushAtRoundEnd = writer.sendEvent(inRound, true, false);
      inRound.release();
      if (flushAtRoundEnd) {
        writer.flush();
      }
      EncodedEvent large = new EncodedEvent(2, Buffer.buffer("{\"type\":\"event\",\"eventId\":\"2\",\"payload\":\""
          + "x".repeat(70_000) + "\"}"));
      writer.sendEvent(large, true, true);
      large.release();
      writer.flush();
      writer.sendEvent(new EncodedEvent(3, Buffer.buffer("{\"type\":\"event\",\"eventId\":\"3\"}")), false, false);
      writer.close(CloseReason.SLOW_CONSUMER, "done");
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);

    List<String> received = new CopyOnWriteArrayList<>();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    WebSocketClient client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions()
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    var socket = client.webSocket();
    socket.textMessageHandler(received::add);
    socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
    socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/"))
        .await(10, TimeUnit.SECONDS);

    assertEquals((short) 4009, closed.get(10, TimeUnit.SECONDS));
    assertTrue(belowEncoder.get(), "Netty's WebSocket encoder is in the pipeline where WebSocketWriter looks for it");
    assertEquals(4, received.size(), received.toString());
    assertEquals("{\"type\":\"pong\"}", received.get(0));
    assertEquals("{\"type\":\"event\",\"eventId\":\"1\"}", received.get(1));
    assertEquals(70_043, received.get(2).length(), "a frame with a 64-bit length header");
    assertEquals("{\"type\":\"event\",\"eventId\":\"3\"}", received.get(3));
  }
}
