package dev.switchboard.server;

import io.vertx.core.Future;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test's WebSocket: every frame received is queued as JSON; the close code is kept. */
final class WsClient implements FrameSource {

  static final long WAIT_SECONDS = 15;

  private final WebSocket ws;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private long lastEventId = -1;

  private WsClient(WebSocket ws) {
    this.ws = ws;
    ws.textMessageHandler(text -> {
      SpecViolations.webSocketFrame(text);
      frames.add(new JsonObject(text));
    });
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode() == null ? (short) 1006 : ws.closeStatusCode()));
  }

  static WsClient connect(TestNode node, String uri, String bearer) {
    return connect(node, options(node, uri, bearer));
  }

  /** Opens one WebSocket on {@code uri} per token, every handshake at once, and waits for all the upgrades. */
  static List<WsClient> connectAll(TestNode node, String uri, List<String> bearers) {
    List<WsClient> clients = new ArrayList<>(bearers.size());
    List<Future<WebSocket>> upgrades = new ArrayList<>(bearers.size());
    for (String bearer : bearers) {
      ClientWebSocket socket = node.webSockets.webSocket();
      clients.add(new WsClient(socket));
      upgrades.add(socket.connect(options(node, uri, bearer)));
    }
    try {
      Future.all(upgrades).await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      clients.forEach(WsClient::close);
      throw new IllegalStateException("cannot connect " + bearers.size() + " WebSockets to " + uri, e);
    }
    return clients;
  }

  private static WebSocketConnectOptions options(TestNode node, String uri, String bearer) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI(uri).setAllowOriginHeader(false);
    if (bearer != null) {
      options.addHeader("Authorization", "Bearer " + bearer);
    }
    return options;
  }

  static WsClient connect(TestNode node, WebSocketConnectOptions options) {
    return connect(node.webSockets, options);
  }

  /** Connects with a client of the test's own (one bound to another loopback address, say). */
  static WsClient connect(WebSocketClient webSockets, WebSocketConnectOptions options) {
    String uri = options.getURI();
    try {
      // Handlers are in place before the handshake, so not even a frame sent with the 101 answer is missed.
      ClientWebSocket socket = webSockets.webSocket();
      WsClient client = new WsClient(socket);
      try {
        socket.connect(options).await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (IllegalStateException closedDuringHandshake) {
        // The server accepted and closed at once (a refused token, say): the close code is what the test wants.
        Short code = socket.closeStatusCode();
        client.closed.complete(code == null ? (short) 1006 : code);
      }
      return client;
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect " + uri, e);
    }
  }

  WebSocket socket() {
    return ws;
  }

  void send(JsonObject frame) {
    ws.writeTextMessage(frame.encode());
  }

  void sendText(String text) {
    ws.writeTextMessage(text);
  }

  /** The next frame of any type; fails when none arrives in time. */
  JsonObject next() {
    JsonObject frame = poll(WAIT_SECONDS * 1000);
    if (frame == null) {
      throw new AssertionError("no frame within " + WAIT_SECONDS + " s (closed: " + closed.getNow(null) + ")");
    }
    return frame;
  }

  /** The next {@code count} event frames, skipping other frames. */
  List<JsonObject> events(int count) {
    List<JsonObject> events = new ArrayList<>(count);
    while (events.size() < count) {
      events.add(next("event"));
    }
    return events;
  }

  @Override
  public JsonObject poll(long millis) {
    try {
      JsonObject frame = frames.poll(millis, TimeUnit.MILLISECONDS);
      if (frame != null && "event".equals(frame.getString("type"))) {
        lastEventId = Long.parseLong(frame.getString("eventId"));
      }
      return frame;
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The eventId of the last event frame read, or -1. */
  long lastEventId() {
    return lastEventId;
  }

  /** Waits for the server to close the socket and returns the close code (1006 when it closed without one). */
  short awaitClose() {
    try {
      return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the socket was not closed within " + WAIT_SECONDS + " s");
    }
  }

  boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public String toString() {
    return "WebSocket, closed: " + closed.getNow(null);
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      try {
        ws.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // The server may have closed it meanwhile.
      }
    }
  }
}
