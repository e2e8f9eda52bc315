package dev.switchboard.auth;

import dev.switchboard.protocol.RateResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class InMemoryRateLimiterTest extends RateLimiterContract {

  @Test
  void keepsOneBucketPerKey() {
    InMemoryRateLimiter limiter = limiter(60, 1);

    assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"));
    assertEquals(RateResult.ALLOWED, acquire(limiter, "bob"));
    assertFalse(acquire(limiter, "ada").allowed());
  }

  @Test
  void zeroRateMeansNoLimitAndNoState() {
    InMemoryRateLimiter limiter = limiter(0, 0);

    for (int i = 0; i < 10_000; i++) {
      assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"));
    }
    assertEquals(0, limiter.size());
  }

  @Test
  void forgetsIdleFullBucketsSoMemoryStaysBounded() {
    InMemoryRateLimiter limiter = limiter(60, 2);
    // One short of the sweep threshold, so the next new key finds the map full enough to sweep.
    int idle = InMemoryRateLimiter.MIN_SWEEP_SIZE - 1;
    for (int i = 0; i < idle; i++) {
      acquire(limiter, "idle-" + i);
    }
    acquire(limiter, "busy");
    acquire(limiter, "busy");
    assertEquals(idle + 1, limiter.size());

    now.addAndGet(1000);
    acquire(limiter, "newcomer");

    // The idle buckets refilled and were dropped; the busy one is still one token short and kept.
    assertEquals(2, limiter.size());
    assertEquals(RateResult.ALLOWED, acquire(limiter, "busy"));
    assertEquals(new RateResult(false, 1000), acquire(limiter, "busy"));
  }

  @Override
  protected InMemoryRateLimiter limiter(int perMinute, int burst) {
    return new InMemoryRateLimiter(new RateLimit(perMinute, burst), now::get);
  }
}
