package dev.switchboard.realtime.ws;

import dev.switchboard.realtime.wire.Frames;

/**
 * How many frames one connection may send: a token bucket refilled at {@code perSecond}, holding twice that for
 * bursts. A client that keeps sending while the bucket is empty is flooding and gets closed with 4008.
 */
public final class FrameBudget {

  /** Frames dropped in a row, once the bucket is empty, after which the sender counts as flooding. */
  private final int floodThreshold;
  private final double perMs;
  private final double capacity;
  private double tokens;
  private long updatedMs;
  private int droppedInARow;

  FrameBudget(int perSecond, long nowMs) {
    this.perMs = perSecond / 1000.0;
    this.capacity = 2.0 * perSecond;
    this.floodThreshold = perSecond;
    this.tokens = capacity;
    this.updatedMs = nowMs;
  }

  enum Verdict { ACCEPT, DROP_FIRST, DROP, FLOOD }

  /** Whether one more frame may be processed now; the first drop is reported so the client can be told once. */
  Verdict take(long nowMs) {
    if (nowMs > updatedMs) {
      tokens = Math.min(capacity, tokens + (nowMs - updatedMs) * perMs);
      updatedMs = nowMs;
    }
    if (tokens >= 1) {
      tokens -= 1;
      droppedInARow = 0;
      return Verdict.ACCEPT;
    }
    droppedInARow++;
    if (droppedInARow > floodThreshold) {
      return Verdict.FLOOD;
    }
    return droppedInARow == 1 ? Verdict.DROP_FIRST : Verdict.DROP;
  }
}
