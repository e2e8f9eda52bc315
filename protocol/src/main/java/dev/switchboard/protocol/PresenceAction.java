package dev.switchboard.protocol;

/** What happened to a user's presence in a session. */
public enum PresenceAction {
  JOIN("join"),
  LEAVE("leave");

  private final String wire;

  PresenceAction(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The action named {@code wire}; anything else fails, so a garbled or newer body is never taken for a leave. */
  public static PresenceAction fromWire(String wire) {
    for (PresenceAction action : values()) {
      if (action.wire.equals(wire)) {
        return action;
      }
    }
    throw new IllegalArgumentException("unknown presence action: " + wire);
  }
}
