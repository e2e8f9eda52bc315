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

  public static PresenceAction fromWire(String wire) {
    return "join".equals(wire) ? JOIN : LEAVE;
  }
}
