package dev.switchboard.bench;

import io.vertx.core.buffer.Buffer;

/**
 * One server's dialect, so the same scenarios drive Switchboard and Socket.IO: the URL a client opens, the frames
 * that make it ready and subscribed, how it publishes, and where the stamp and the sequence number sit in a delivery.
 *
 * <p>Every publish carries {@code {"t":<publisher's System.nanoTime()>,"s":<sequence>,"fill":"..."}} as its payload;
 * both servers hand the payload to subscribers unchanged, so latency is measured the same way on both.
 */
interface Target {

  /** What a connection tells the scenario; called on the generator's event loop. */
  interface Listener {
    /** The connection is subscribed (or, for a publisher, may publish). */
    default void onReady() {
    }

    /** A delivered event: the publisher's stamp, the event's sequence (see {@link #sequenced()}), frame bytes. */
    default void onEvent(long sentNanos, long sequence, int bytes) {
    }

    /** Replay after a resume is complete; what follows is live (Switchboard only). */
    default void onReplayed() {
    }

    /** An answer to a publish: its requestId and the stored eventId (Switchboard only). */
    default void onAck(long requestId, long eventId) {
    }
  }

  String name();

  /**
   * The path a client opens: subscribed to {@code room} when not null, resuming after {@code fromEventId} when it
   * is not negative (Switchboard only).
   */
  String path(String room, long fromEventId);

  /** Takes over {@code ws}'s text messages: answers the handshake and heartbeats, and tells {@code listener}. */
  void attach(WireSocket ws, String room, Listener listener);

  /** The frame that publishes {@code payload} (a JSON object) to {@code room}. */
  String publishFrame(String room, String payload);

  /**
   * What {@link Listener#onEvent}'s sequence is: the server's eventId (gapless per session, Switchboard), or the
   * payload's {@code s} (Socket.IO, which numbers nothing).
   */
  String sequenced();

  static Target of(String name, String token) {
    return switch (name) {
      case "switchboard" -> new SwitchboardTarget(token);
      case "socketio" -> new SocketIoTarget();
      default -> throw new IllegalArgumentException("--target is switchboard or socketio, not " + name);
    };
  }

  /** The publisher's stamp: the number after {@code "t":} in {@code data[from, to)}. */
  static long stamp(Buffer data, int from, int to) {
    int at = WireSocket.indexOf(data, from, to, STAMP);
    return at < 0 ? -1 : WireSocket.number(data, at + STAMP.length, to);
  }

  byte[] STAMP = "\"t\":".getBytes();
}
