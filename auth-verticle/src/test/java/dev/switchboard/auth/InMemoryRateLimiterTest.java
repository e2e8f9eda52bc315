package dev.switchboard.auth;

import dev.switchboard.protocol.RateResult;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryRateLimiterTest {

  /** The limiter's clock, moved by hand. */
  private final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  void allowsTheBurstThenRefusesWithTheTimeUntilTheNextToken() {
    InMemoryRateLimiter limiter = limiter(60, 3);

    for (int i = 0; i < 3; i++) {
      assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"), "request " + i + " of the burst");
    }
    // 60 per minute: one token per second.
    assertEquals(new RateResult(false, 1000), acquire(limiter, "ada"));
  }

  @Test
  void refillsAtTheRateAfterTime() {
    InMemoryRateLimiter limiter = limiter(60, 3);
    drain(limiter, "ada", 3);

    now.addAndGet(400);
    assertEquals(new RateResult(false, 600), acquire(limiter, "ada"), "a refused request spends nothing");
    now.addAndGet(600);
    assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"));
    assertFalse(acquire(limiter, "ada").allowed());

    now.addAndGet(2000);
    assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"));
    assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"));
    assertFalse(acquire(limiter, "ada").allowed());
  }

  @Test
  void neverRefillsBeyondTheBurst() {
    InMemoryRateLimiter limiter = limiter(60, 3);
    acquire(limiter, "ada");

    now.addAndGet(3_600_000);

    drain(limiter, "ada", 3);
    assertFalse(acquire(limiter, "ada").allowed());
  }

  @Test
  void keepsOneBucketPerKey() {
    InMemoryRateLimiter limiter = limiter(60, 1);

    assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"));
    assertEquals(RateResult.ALLOWED, acquire(limiter, "bob"));
    assertFalse(acquire(limiter, "ada").allowed());
  }

  @Test
  void chargesTheCostAndWaitsForAllOfIt() {
    InMemoryRateLimiter limiter = limiter(120, 4);

    assertEquals(RateResult.ALLOWED, result(limiter.tryAcquire("ada", 3)));
    // One token left, three wanted, two per second.
    assertEquals(new RateResult(false, 1000), result(limiter.tryAcquire("ada", 3)));
  }

  @Test
  void refusesCostsThatCouldNeverBePaid() {
    InMemoryRateLimiter limiter = limiter(60, 3);

    assertInstanceOf(IllegalArgumentException.class, failure(limiter.tryAcquire("ada", 4)));
    assertInstanceOf(IllegalArgumentException.class, failure(limiter.tryAcquire("ada", 0)));
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

  private InMemoryRateLimiter limiter(int perMinute, int burst) {
    return new InMemoryRateLimiter(new RateLimit(perMinute, burst), now::get);
  }

  private static RateResult acquire(RateLimiter limiter, String key) {
    return result(limiter.tryAcquire(key, 1));
  }

  private static void drain(RateLimiter limiter, String key, int tokens) {
    for (int i = 0; i < tokens; i++) {
      assertTrue(acquire(limiter, key).allowed(), "token " + i);
    }
  }
}
