package dev.switchboard.realtime.ws;

import dev.switchboard.realtime.EdgeTimers;
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

  boolean silentLongerThan(long now, long ms) {
    return now - lastSeen > ms;
  }
}
