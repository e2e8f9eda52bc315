package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.ErrorCode;

/**
 * What one WebSocket may send (docs/PROTOCOL.md, Limits): a frame budget ({@link FrameBudget}), and a limit on
 * publishes and signals refused as {@code rate_limited} in a row. Decides only; the connection answers and closes.
 *
 * <p>Not thread-safe: used on the edge's event loop.
 */
public final class InboundGuard {

  /** Rate refusals in a row after which a client that keeps publishing into its limit is closed (4008). */
  static final int RATE_REFUSALS_BEFORE_CLOSE = 20;

  private final FrameBudget budget;
  private int rateRefusalsInARow;

  InboundGuard(int framesPerSecond, long nowMs) {
    this.budget = new FrameBudget(framesPerSecond, nowMs);
  }

  /** Charges one inbound frame; see {@link FrameBudget.Verdict}. */
  FrameBudget.Verdict frame(long nowMs) {
    return budget.take(nowMs);
  }

  /** A publish or signal succeeded: the refusal streak ends. */
  void accepted() {
    rateRefusalsInARow = 0;
  }

  /** A publish or signal was refused with {@code code}; true when the client should now be closed with 4008. */
  boolean refusedAndAbusive(ErrorCode code) {
    return code == ErrorCode.RATE_LIMITED && ++rateRefusalsInARow > RATE_REFUSALS_BEFORE_CLOSE;
  }
}
