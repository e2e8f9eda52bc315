package dev.switchboard.realtime.metrics;

import dev.switchboard.realtime.wire.Refusal;

/** What a rate or connection limit refused: the {@code kind} label of {@code switchboard_rate_limited_total}. */
public enum RateLimitKind {
  /** A publish or signal past the user's budget ({@code SB_PUBLISH_RATE}). */
  PUBLISH("publish"),
  /** WebSocket frames or bytes past {@code SB_MAX_FRAMES_PER_SEC} / {@code SB_MAX_INBOUND_BYTES_PER_SEC}. */
  FRAMES("frames"),
  /** A connection past {@code SB_MAX_CONNECTIONS_PER_IP} or the node's file descriptors. */
  CONNECTIONS("connections"),
  /** A WebSocket or SSE stream past {@code SB_HANDSHAKES_PER_SEC}. */
  HANDSHAKES("handshakes");

  private final String label;

  RateLimitKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The kind of a connection limit's refusal, or null for a refusal that is not a limit's. */
  public static RateLimitKind of(Refusal refusal) {
    return switch (refusal) {
      case TOO_MANY_CONNECTIONS, NODE_FULL -> CONNECTIONS;
      case TOO_MANY_HANDSHAKES -> HANDSHAKES;
      case TOO_MANY_FRAMES, FRAME_FLOOD -> FRAMES;
      case PUBLISH_RATE, PUBLISH_RATE_ABUSE -> PUBLISH;
      default -> null;
    };
  }
}
