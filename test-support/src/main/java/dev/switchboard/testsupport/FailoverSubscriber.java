package dev.switchboard.testsupport;

import io.vertx.core.Vertx;
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
import java.util.function.LongSupplier;

/**
 * A client that behaves like the JavaScript client on failure: subscribed to one session over WebSocket or SSE on one
 * node, and when the connection drops it reconnects to the next node it is given and resumes from the last eventId
 * it saw. It counts what matters: events in order, duplicates, gaps, close codes, reconnections, and how long each
 * resume took (from the drop to the {@code replayed} frame on the new node).
 */
public final class FailoverSubscriber {

  public enum Transport { WEBSOCKET, SSE }

  private final Vertx vertx;
  private final WireObserver wire;
  private final Transport transport;
  private final String sessionId;
  private final String token;
  private final IntSupplier nextPort;
  private LongSupplier retryDelayMs = () -> 100;
  private WebSocketClient webSockets;
  private HttpClient http;
  private boolean ownsClients = true;

  private final EventSequence sequence = new EventSequence();
  private long delivered;
  private int reconnects;
  private final List<Integer> closeCodes = new ArrayList<>();
  private final List<Long> resumeMillis = new ArrayList<>();
  private long droppedAt = -1;
  private int connectedPort = -1;
  private volatile boolean stopped;

  /**
   * @param wire sees every frame received
   * @param nextPort the port to try next: the first call gives the node to start on, later calls the failover order
   */
  public FailoverSubscriber(Vertx vertx, WireObserver wire, Transport transport, String sessionId, String token,
                            IntSupplier nextPort) {
    this.vertx = vertx;
    this.wire = wire;
    this.transport = transport;
    this.sessionId = sessionId;
    this.token = token;
    this.nextPort = nextPort;
  }

  /**
   * Connects through these clients, which many subscribers share and this one never closes, instead of a pair of its
   * own: thousands of subscribers need pools sized for them.
   */
  public FailoverSubscriber sharing(WebSocketClient webSockets, HttpClient http) {
    this.webSockets = webSockets;
    this.http = http;
    this.ownsClients = false;
    return this;
  }

  /** How long to wait before the next attempt after a drop or a refusal (100 ms unless set). */
  public FailoverSubscriber retryingAfter(LongSupplier millis) {
    this.retryDelayMs = millis;
    return this;
  }

  public FailoverSubscriber start() {
    return startFrom(0);
  }

  /** Starts as a client resuming after {@code eventId}. */
  public FailoverSubscriber startFrom(long eventId) {
    synchronized (this) {
      sequence.moveTo(eventId);
    }
    if (ownsClients) {
      webSockets = vertx.createWebSocketClient();
      http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
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
      wire.webSocketFrame(text);
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
          SseParser parser = new SseParser(message -> {
            wire.sseData(message.data());
            onFrame(port, new JsonObject(message.data()));
          });
          response.handler(parser::feed);
          response.endHandler(v -> dropped());
          response.exceptionHandler(e -> dropped());
        })
        .onFailure(e -> retry());
  }

  private synchronized void onFrame(int port, JsonObject frame) {
    switch (frame.getString("type", "")) {
      case "event" -> {
        if (sequence.received(Long.parseLong(frame.getString("eventId")))) {
          delivered++;
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
        reconnects++;
      }
      connectedPort = -1;
    }
    retry();
  }

  private void retry() {
    if (!stopped) {
      vertx.setTimer(retryDelayMs.getAsLong(), t -> connect());
    }
  }

  public String sessionId() {
    return sessionId;
  }

  public Transport transport() {
    return transport;
  }

  /** The last eventId received in order: where a resume starts. */
  public synchronized long position() {
    return sequence.position();
  }

  public synchronized int duplicates() {
    return sequence.duplicates();
  }

  public synchronized int gaps() {
    return sequence.gaps();
  }

  /** Events received for the first time. */
  public synchronized long delivered() {
    return delivered;
  }

  /** Live connections that dropped and sent this subscriber elsewhere. */
  public synchronized int reconnects() {
    return reconnects;
  }

  public synchronized List<Integer> closeCodes() {
    return List.copyOf(closeCodes);
  }

  public synchronized List<Long> resumeMillis() {
    return List.copyOf(resumeMillis);
  }

  /** The node this subscriber is live on, or -1 between connections. */
  public synchronized int connectedPort() {
    return connectedPort;
  }

  public boolean isLive() {
    return connectedPort() >= 0;
  }

  /** Stops reconnecting; closes the clients unless they are shared. */
  public void stop() {
    stopped = true;
    if (ownsClients && webSockets != null) {
      webSockets.close();
      http.close();
    }
  }

  @Override
  public synchronized String toString() {
    return transport + " " + sessionId + " at " + sequence.position() + " (dup " + sequence.duplicates() + ", gaps "
        + sequence.gaps() + ", closes " + closeCodes + ")";
  }
}
