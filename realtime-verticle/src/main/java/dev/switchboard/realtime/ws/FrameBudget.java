package dev.switchboard.realtime.ws;

import dev.switchboard.realtime.wire.Frames;

/**
 * How much a client may send: a token bucket refilled at {@code perSecond} (frames, or bytes), holding twice that for
 * bursts. A client that keeps sending while the bucket is empty is flooding and gets closed with 4008. A user's budget
 * is shared by their sockets on every edge loop ({@link UserBudgets}), so taking from it holds the budget's monitor.
 */
public final class FrameBudget {

  /** Frames dropped in a row, once the bucket is empty, after which the sender counts as flooding. */
  private final int floodThreshold;
  private final double perMs;
  private final double capacity;
  private double tokens;
  private long updatedMs;
  private int droppedInARow;

  /** A budget of frames: flooding is one second's worth of frames dropped in a row. */
  FrameBudget(int perSecond, long nowMs) {
    this(perSecond, perSecond, nowMs);
  }

  /** @param floodThreshold frames dropped in a row after which the sender counts as flooding */
  FrameBudget(int perSecond, int floodThreshold, long nowMs) {
    this.perMs = perSecond / 1000.0;
    this.capacity = 2.0 * perSecond;
    this.floodThreshold = floodThreshold;
    this.tokens = capacity;
    this.updatedMs = nowMs;
  }

  /** From the mildest to the worst. */
  enum Verdict { ACCEPT, DROP, DROP_FIRST, FLOOD }

  /** Whether the bucket is full at {@code nowMs}: its sender has sent nothing lately, and it can be forgotten. */
  synchronized boolean idleAt(long nowMs) {
    return take(nowMs, 0) == Verdict.ACCEPT && tokens >= capacity;
  }

  /** Whether one more frame may be processed now; the first drop is reported so the client can be told once. */
  Verdict take(long nowMs) {
    return take(nowMs, 1);
  }

  /** Whether a frame costing {@code cost} (its bytes, for a byte budget) may be processed now. */
  synchronized Verdict take(long nowMs, int cost) {
    if (nowMs > updatedMs) {
      tokens = Math.min(capacity, tokens + (nowMs - updatedMs) * perMs);
      updatedMs = nowMs;
    }
    if (tokens >= cost) {
      tokens -= cost;
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
