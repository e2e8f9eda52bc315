package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.ErrorCode;

/**
 * What one WebSocket may send (docs/PROTOCOL.md, Limits): a budget of frames and one of bytes ({@link FrameBudget}),
 * charged together with its user's byte budget across connections ({@link UserBudgets}), and a limit on publishes and
 * signals refused as {@code rate_limited} in a row. Decides only; the connection answers and closes.
 *
 * <p>Not thread-safe: used on its edge loop.
 */
public final class InboundGuard {

  /** Rate refusals in a row after which a client that keeps publishing into its limit is closed (4008). */
  static final int RATE_REFUSALS_BEFORE_CLOSE = 20;

  private final FrameBudget frames;
  private final FrameBudget bytes;
  private int rateRefusalsInARow;

  InboundGuard(int framesPerSecond, int bytesPerSecond, long nowMs) {
    this.frames = new FrameBudget(framesPerSecond, nowMs);
    this.bytes = new FrameBudget(bytesPerSecond, framesPerSecond, nowMs);
  }

  /** Charges one inbound frame of {@code size} bytes, before it is parsed; see {@link FrameBudget.Verdict}. */
  FrameBudget.Verdict frame(long nowMs, int size, FrameBudget userBytes) {
    FrameBudget.Verdict verdict = worse(frames.take(nowMs), bytes.take(nowMs, size));
    return userBytes == null ? verdict : worse(verdict, userBytes.take(nowMs, size));
  }

  private static FrameBudget.Verdict worse(FrameBudget.Verdict a, FrameBudget.Verdict b) {
    return a.compareTo(b) >= 0 ? a : b;
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
