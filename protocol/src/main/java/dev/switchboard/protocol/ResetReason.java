package dev.switchboard.protocol;

/**
 * Why a position cannot be resumed: the {@code reset} frame of docs/PROTOCOL.md, Subscribing and resuming.
 */
public enum ResetReason {
  /** The position is older than the retained history. */
  HISTORY_EXPIRED("history_expired"),
  /** The position is beyond the session's head: the server never stored it. */
  UNKNOWN_EVENT("unknown_event");

  private final String wire;

  ResetReason(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static ResetReason fromWire(String wire) {
    for (ResetReason reason : values()) {
      if (reason.wire.equals(wire)) {
        return reason;
      }
    }
    throw new IllegalArgumentException("unknown reset reason: " + wire);
  }
}
