package dev.switchboard.server.cluster;

import dev.switchboard.server.SpecViolations;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * A client that behaves like the JavaScript client on failure: subscribed to one session over WebSocket or SSE on one
 * node, and when the connection drops it reconnects to the next node of its list and resumes from the last eventId
 * it saw. It counts what matters: events in order, duplicates, gaps, close codes, and how long each resume took
 * (from the drop to the {@code replayed} frame on the new node).
 */
final class FailoverSubscriber {

  enum Transport { WEBSOCKET, SSE }

  private static final long RETRY_MS = 100;

  private final Vertx vertx;
  private final Transport transport;
  private final String sessionId;
  private final String token;
  private final IntSupplier nextPort;
  private final WebSocketClient webSockets;
  private final HttpClient http;

  private long last;
  private int duplicates;
  private int gaps;
  private final List<Integer> closeCodes = new ArrayList<>();
  private final List<Long> resumeMillis = new ArrayList<>();
  private long droppedAt = -1;
  private int connectedPort = -1;
  private boolean stopped;

  /**
   * @param nextPort the port to try next: the first call gives the node to start on, later calls the failover order
   */
  FailoverSubscriber(Vertx vertx, Transport transport, String sessionId, String token, IntSupplier nextPort) {
    this.vertx = vertx;
    this.transport = transport;
    this.sessionId = sessionId;
    this.token = token;
    this.nextPort = nextPort;
    this.webSockets = vertx.createWebSocketClient();
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  FailoverSubscriber start() {
    return startFrom(0);
  }

  /** Starts as a client resuming after {@code eventId}. */
  FailoverSubscriber startFrom(long eventId) {
    synchronized (this) {
      last = eventId;
    }
    vertx.runOnContext(v -> connect());
    return this;
  }

  private void connect() {
    if (stopped) {
      return;
    }
    int port = nextPort.getAsInt();
    if (transport == Transport.WEBSOCKET) {
      connectWebSocket(port);
    } else {
      connectSse(port);
    }
  }

  private void connectWebSocket(int port) {
    var socket = webSockets.webSocket();
    socket.textMessageHandler(text -> {
      SpecViolations.webSocketFrame(text);
      onFrame(port, new JsonObject(text));
    });
    socket.closeHandler(v -> {
      Short code = socket.closeStatusCode();
      synchronized (this) {
        closeCodes.add(code == null ? 1006 : code.intValue());
      }
      dropped();
    });
    socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setAllowOriginHeader(false)
            .setURI("/events?sessionId=" + sessionId + "&fromEventId=" + position() + "&access_token=" + token))
        .onFailure(e -> retry());
  }

  private void connectSse(int port) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI("/events?sessionId=" + sessionId + "&access_token=" + token)
        .putHeader("Accept", "text/event-stream")
        .putHeader("Last-Event-ID", Long.toString(position()));
    http.request(options)
        .compose(request -> request.send())
        .onSuccess(response -> {
          if (response.statusCode() != 200) {
            response.request().connection().close();
            retry();
            return;
          }
          StringBuilder pending = new StringBuilder();
          response.handler(chunk -> feedSse(port, pending, chunk));
          response.endHandler(v -> dropped());
          response.exceptionHandler(e -> dropped());
        })
        .onFailure(e -> retry());
  }

  private void feedSse(int port, StringBuilder pending, Buffer chunk) {
    pending.append(chunk.toString());
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      for (String line : block.split("\n")) {
        if (line.startsWith("data: ")) {
          SpecViolations.sseFrame(line.substring(6));
          onFrame(port, new JsonObject(line.substring(6)));
        }
      }
    }
  }

  private synchronized void onFrame(int port, JsonObject frame) {
    switch (frame.getString("type", "")) {
      case "event" -> {
        long id = Long.parseLong(frame.getString("eventId"));
        if (id <= last) {
          duplicates++;
        } else {
          if (id != last + 1) {
            gaps++;
          }
          last = id;
        }
      }
      case "replayed" -> {
        connectedPort = port;
        if (droppedAt >= 0) {
          resumeMillis.add(System.currentTimeMillis() - droppedAt);
          droppedAt = -1;
        }
      }
      default -> {
      }
    }
  }

  private void dropped() {
    synchronized (this) {
      if (droppedAt < 0 && connectedPort >= 0) {
        droppedAt = System.currentTimeMillis();
      }
      connectedPort = -1;
    }
    retry();
  }

  private void retry() {
    if (!stopped) {
      vertx.setTimer(RETRY_MS, t -> connect());
    }
  }

  synchronized long position() {
    return last;
  }

  synchronized int duplicates() {
    return duplicates;
  }

  synchronized int gaps() {
    return gaps;
  }

  synchronized List<Integer> closeCodes() {
    return List.copyOf(closeCodes);
  }

  synchronized List<Long> resumeMillis() {
    return List.copyOf(resumeMillis);
  }

  /** The node this subscriber is live on, or -1 between connections. */
  synchronized int connectedPort() {
    return connectedPort;
  }

  void stop() {
    stopped = true;
    webSockets.close();
    http.close();
  }

  @Override
  public synchronized String toString() {
    return transport + " " + sessionId + " at " + last + " (dup " + duplicates + ", gaps " + gaps + ", closes "
        + closeCodes + ")";
  }
}
