package dev.switchboard.client;

/** The transports the client uses, best first: WebSocket, then Server-Sent Events (publishing over REST). */
public enum Transport {
  WEBSOCKET("websocket"),
  SSE("sse");

  private final String wire;

  Transport(String wire) {
    this.wire = wire;
  }

  /** The name the wire uses ({@code fallbackFrom}). */
  public String wire() {
    return wire;
  }
}
