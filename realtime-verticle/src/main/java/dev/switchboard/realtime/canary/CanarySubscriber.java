package dev.switchboard.realtime.canary;

import dev.switchboard.protocol.SessionIds;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The canary's subscriber: a real WebSocket from the edge to itself on {@code 127.0.0.1}, subscribed to this edge's
 * canary session (in the URL) and, in a cluster, to the one member's it watches ({@code subscribe} frames). It is a
 * client like any other on the wire; only its token, the {@link CanaryPass}, differs. Used on its edge loop.
 */
final class CanarySubscriber {

  /** An {@code event} frame of a canary session. */
  record Arrival(String sessionId, JsonObject payload) {
  }

  private static final String LOOPBACK = "127.0.0.1";

  private final WebSocketClient client;
  private final CanaryPass pass;
  private final int port;
  private final String ownSession;
  private final Consumer<Arrival> onEvent;
  private WebSocket socket;
  private boolean connecting;
  /** Whether the edge has placed the socket's subscription to its own session ({@code replayed} came). */
  private boolean placed;
  private String watched;

  CanarySubscriber(Vertx vertx, CanaryPass pass, int port, boolean tls, String ownSession,
                   Consumer<Arrival> onEvent) {
    // Over TLS the canary trusts whatever its own edge presents on loopback: it checks delivery, not the certificate,
    // which an operator's name may not even match on 127.0.0.1.
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1)
        .setSsl(tls).setTrustAll(tls).setVerifyHost(false));
    this.pass = pass;
    this.port = port;
    this.ownSession = ownSession;
    this.onEvent = onEvent;
  }

  /**
   * Connects when not connected, and keeps the subscription to {@code peerSession} (null: none) current. Calls
   * {@code onConnectFailure} when the connection cannot be made.
   */
  void ensure(String peerSession, Runnable onConnectFailure) {
    if (socket != null && socket.isClosed()) {
      // Closed before its close handler was set (the edge refused the subscription at once, say): connect again.
      socket = null;
    }
    if (socket != null) {
      watch(peerSession);
      return;
    }
    if (connecting) {
      return;
    }
    connecting = true;
    watched = null;
    placed = false;
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(LOOPBACK).setPort(port)
        .setURI("/events?sessionId=" + ownSession).setAllowOriginHeader(false)
        .addHeader("Authorization", "Bearer " + pass.token());
    client.connect(options).onComplete(ar -> {
      connecting = false;
      if (ar.failed()) {
        onConnectFailure.run();
        return;
      }
      WebSocket ws = ar.result();
      socket = ws;
      ws.textMessageHandler(this::frame);
      ws.closeHandler(v -> {
        if (socket == ws) {
          socket = null;
        }
      });
      watch(peerSession);
    });
  }

  private void watch(String peerSession) {
    if (Objects.equals(peerSession, watched)) {
      return;
    }
    if (watched != null) {
      socket.writeTextMessage(new JsonObject().put("type", "unsubscribe").put("sessionId", watched).encode());
    }
    watched = peerSession;
    if (peerSession != null) {
      socket.writeTextMessage(new JsonObject().put("type", "subscribe").put("sessionId", peerSession).encode());
    }
  }

  private void frame(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException notJson) {
      return;
    }
    String sessionId = frame.getString("sessionId");
    if ("replayed".equals(frame.getString("type")) && ownSession.equals(sessionId)) {
      placed = true;
    }
    if ("event".equals(frame.getString("type")) && SessionIds.isReserved(sessionId)
        && frame.getValue("payload") instanceof JsonObject payload) {
      onEvent.accept(new Arrival(sessionId, payload));
    }
  }

  /**
   * Closes a socket whose subscription the edge never placed (it could not read the session's head, say), so that the
   * next {@link #ensure} connects a new one. A placed socket is kept: a canary it missed is the path's fault.
   */
  void reconnectIfUnplaced() {
    WebSocket current = socket;
    if (current != null && !placed) {
      socket = null;
      current.close();
    }
  }

  void close() {
    socket = null;
    client.close();
  }
}
