package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

  @Test
  void ceilingDoublesFromTheBaseUpToTheCap() {
    assertEquals(500, Backoff.ceiling(0, 500, 30_000));
    assertEquals(1000, Backoff.ceiling(1, 500, 30_000));
    assertEquals(16_000, Backoff.ceiling(5, 500, 30_000));
    assertEquals(30_000, Backoff.ceiling(6, 500, 30_000));
    assertEquals(30_000, Backoff.ceiling(1_000_000, 500, 30_000), "no overflow however long it fails");
  }

  @Test
  void delaysAreSpreadOverTheWholeRangeBelowTheCeiling() {
    Backoff backoff = new Backoff(500, 30_000);
    long smallest = Long.MAX_VALUE;
    long largest = 0;
    for (int i = 0; i < 2000; i++) {
      backoff.reset();
      for (int skip = 0; skip < 3; skip++) {
        backoff.next();
      }
      long delay = backoff.next();
      assertTrue(delay >= 0 && delay < 4000, "attempt 3 waits below 4 s: " + delay);
      smallest = Math.min(smallest, delay);
      largest = Math.max(largest, delay);
    }
    assertTrue(smallest < 400 && largest > 3600, "full jitter: " + smallest + ".." + largest);
  }

  @Test
  void aRetryWaitsAtLeastWhatTheServerNamedAndASecondAfterRateLimited() {
    SwitchboardException refusedFrame = HttpErrors.fromFrame(
        Frames.parse("{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"publish rate exceeded\"}"),
        "refused");
    assertEquals(1_000, Backoff.retryWait(120, refusedFrame), "a WebSocket error frame names no wait");
    assertEquals(2_500, Backoff.retryWait(2_500, refusedFrame), "a longer backoff stands");
    SwitchboardException unavailable = SwitchboardException.of(ErrorCode.UNAVAILABLE, "draining", null);
    assertEquals(120, Backoff.retryWait(120, unavailable), "other errors keep the backoff");
  }
}
