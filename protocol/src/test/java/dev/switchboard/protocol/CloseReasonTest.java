package dev.switchboard.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CloseReasonTest {

  @Test
  void aFailureThatEndsAWebSocketClosesItWithTheCodeOfItsError() {
    assertEquals(4001, CloseReason.of(ErrorCode.UNAUTHORIZED).code());
    assertEquals(4003, CloseReason.of(ErrorCode.FORBIDDEN).code());
    assertEquals(4008, CloseReason.of(ErrorCode.RATE_LIMITED).code());
    assertEquals(1008, CloseReason.of(ErrorCode.BAD_REQUEST).code());
    assertEquals(1009, CloseReason.of(ErrorCode.TOO_LARGE).code());
    assertEquals(1011, CloseReason.of(ErrorCode.UNAVAILABLE).code(), "an unreachable role: reconnect and resume");
    assertEquals(1011, CloseReason.of(ErrorCode.INTERNAL).code());
  }

  @Test
  void theReservedCodesAreInTheCatalogueSoEveryClientLearnsThemOnce() {
    assertEquals(1013, CloseReason.TRY_AGAIN_LATER.code());
    assertEquals(4010, CloseReason.TERMINATED.code());
  }
}
