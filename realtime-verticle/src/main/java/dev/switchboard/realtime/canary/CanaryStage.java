package dev.switchboard.realtime.canary;

/** Where a canary round failed: the {@code stage} label of {@code switchboard_canary_failures_total}. */
public enum CanaryStage {
  /** The append was refused or timed out (persistence or the bus to it is down). */
  PUBLISH("publish"),
  /** The stored canary did not reach this edge's loopback subscriber within one interval. */
  DELIVER("deliver"),
  /** The loopback subscriber could not connect to its own edge. */
  CONNECT("connect"),
  /** The canary of the member this edge watches did not arrive for {@link Canary#PEER_SILENT_INTERVALS} intervals. */
  PEER("peer");

  private final String label;

  CanaryStage(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
