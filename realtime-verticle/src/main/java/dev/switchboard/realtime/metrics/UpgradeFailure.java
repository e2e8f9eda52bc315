package dev.switchboard.realtime.metrics;

/** Why a WebSocket upgrade did not become a connection: the {@code reason} label of its counter. */
public enum UpgradeFailure {
  /** An upgrade on another path than {@code /events} (answered 404). */
  WRONG_PATH("wrong_path"),
  /** The handshake itself failed (a bad {@code Sec-WebSocket-*} header, the connection gone). */
  HANDSHAKE("handshake");

  private final String label;

  UpgradeFailure(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
