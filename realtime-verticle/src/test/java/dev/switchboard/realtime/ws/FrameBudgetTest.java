package dev.switchboard.realtime.ws;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameBudgetTest {

  @Test
  void allowsABurstOfTwiceTheRateThenDropsAndReportsTheFirstDropOnly() {
    FrameBudget budget = new FrameBudget(10, 0);
    for (int i = 0; i < 20; i++) {
      assertEquals(FrameBudget.Verdict.ACCEPT, budget.take(0));
    }
    assertEquals(FrameBudget.Verdict.DROP_FIRST, budget.take(0));
    assertEquals(FrameBudget.Verdict.DROP, budget.take(0));
  }

  @Test
  void refillsWithTimeAndForgivesAClientThatSlowsDown() {
    FrameBudget budget = new FrameBudget(10, 0);
    for (int i = 0; i < 21; i++) {
      budget.take(0);
    }
    assertEquals(FrameBudget.Verdict.ACCEPT, budget.take(100), "100 ms refill one frame at 10/s");
    assertEquals(FrameBudget.Verdict.DROP_FIRST, budget.take(100), "a new run of drops is reported again");
  }

  @Test
  void callsItAFloodWhenDropsContinuePastOneSecondsWorth() {
    FrameBudget budget = new FrameBudget(10, 0);
    for (int i = 0; i < 20; i++) {
      budget.take(0);
    }
    FrameBudget.Verdict last = null;
    for (int i = 0; i < 11; i++) {
      last = budget.take(0);
    }
    assertEquals(FrameBudget.Verdict.FLOOD, last);
  }
}
