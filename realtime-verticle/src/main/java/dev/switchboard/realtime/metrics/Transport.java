package dev.switchboard.realtime.metrics;

/**
 * The three ways a client receives events, named as the JavaScript client names them (its {@code transports} option)
 * and as they appear in the {@code transport}, {@code from} and {@code to} labels of the metrics.
 */
public enum Transport {
  WEBSOCKET("websocket"),
  SSE("sse"),
  POLL("poll");

  private final String label;

  Transport(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The transport named {@code label}, or null for anything else (labels stay bounded). */
  public static Transport of(String label) {
    for (Transport transport : values()) {
      if (transport.label.equals(label)) {
        return transport;
      }
    }
    return null;
  }
}
