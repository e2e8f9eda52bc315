package dev.switchboard.realtime.ws;

import dev.switchboard.realtime.EdgeTimers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * When a WebSocket last showed life (docs/PROTOCOL.md, Keep-alive): any frame from the client counts, a pong or its
 * own ping control frame (which Vert.x answers itself) as well as text and binary frames. Used on the edge's loop.
 */
final class SignsOfLife {

  private final EdgeTimers timers;
  private long lastSeen;

  SignsOfLife(EdgeTimers timers) {
    this.timers = timers;
    this.lastSeen = timers.now();
  }

  /** Counts the socket's control frames; its text and binary frames are counted where they are read. */
  void watch(ServerWebSocket ws) {
    ws.pongHandler(b -> seen());
    ws.frameHandler(frame -> {
      if (frame.isPing()) {
        seen();
      }
    });
  }

  void seen() {
    lastSeen = timers.now();
  }

  /**
   * One heartbeat tick every {@code intervalMs}: true when the client has been silent for two intervals (to be
   * closed); else pings one not heard from in the last interval. A client that pings by itself, as the JavaScript
   * client does on a quiet socket, is not pinged as well.
   */
  boolean beat(ServerWebSocket ws, long now, long intervalMs) {
    long silent = now - lastSeen;
    if (silent > 2 * intervalMs) {
      return true;
    }
    if (silent > intervalMs) {
      ws.writePing(Buffer.buffer());
    }
    return false;
  }
}
