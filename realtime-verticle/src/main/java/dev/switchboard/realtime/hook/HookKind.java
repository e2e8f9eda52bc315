package dev.switchboard.realtime.hook;

/** What a backend hook is asked about (docs/PROTOCOL.md, Backend hooks); its label names it on the wire and in metrics. */
public enum HookKind {
  /** Who a connection without a JWT is, from its cookies and chosen headers; one per node, never per namespace. */
  CONNECT("connect"),
  SUBSCRIBE("subscribe"),
  PUBLISH("publish");

  private final String label;

  HookKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
