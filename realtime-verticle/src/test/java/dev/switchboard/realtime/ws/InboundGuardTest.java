package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InboundGuardTest {

  @Test
  void aClientThatKeepsPublishingIntoItsRateLimitIsAbusiveAfterTwentyRefusalsInARow() {
    InboundGuard guard = new InboundGuard(100, 1 << 20, 0);
    for (int i = 0; i < InboundGuard.RATE_REFUSALS_BEFORE_CLOSE; i++) {
      assertFalse(guard.refusedAndAbusive(ErrorCode.RATE_LIMITED));
    }
    assertTrue(guard.refusedAndAbusive(ErrorCode.RATE_LIMITED));
  }

  @Test
  void otherRefusalsDoNotCountAndASuccessEndsTheStreak() {
    InboundGuard guard = new InboundGuard(100, 1 << 20, 0);
    for (int i = 0; i < InboundGuard.RATE_REFUSALS_BEFORE_CLOSE; i++) {
      guard.refusedAndAbusive(ErrorCode.RATE_LIMITED);
      assertFalse(guard.refusedAndAbusive(ErrorCode.FORBIDDEN));
    }
    guard.accepted();
    assertFalse(guard.refusedAndAbusive(ErrorCode.RATE_LIMITED));
  }

  @Test
  void framesAreChargedAgainstTheBudget() {
    InboundGuard guard = new InboundGuard(1, 1 << 20, 0);
    assertEquals(FrameBudget.Verdict.ACCEPT, guard.frame(0, 1, null));
    assertEquals(FrameBudget.Verdict.ACCEPT, guard.frame(0, 1, null));
    assertEquals(FrameBudget.Verdict.DROP_FIRST, guard.frame(0, 1, null));
    assertEquals(FrameBudget.Verdict.FLOOD, guard.frame(0, 1, null));
  }
}
