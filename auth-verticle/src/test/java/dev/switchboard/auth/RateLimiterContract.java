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

/** What every {@link RateLimiter} does, run against each implementation by its subclass. */
abstract class RateLimiterContract {

  /** The limiters' clock, moved by hand. */
  protected final AtomicLong now = new AtomicLong(1_000_000);

  /** A limiter of {@code perMinute} tokens a minute and bursts of {@code burst}, on {@link #now}. */
  protected abstract RateLimiter limiter(int perMinute, int burst);

  @Test
  void allowsTheBurstThenRefusesWithTheTimeUntilTheNextToken() {
    RateLimiter limiter = limiter(60, 3);

    for (int i = 0; i < 3; i++) {
      assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"), "request " + i + " of the burst");
    }
    // 60 per minute: one token per second.
    assertEquals(new RateResult(false, 1000), acquire(limiter, "ada"));
  }

  @Test
  void refillsAtTheRateAfterTime() {
    RateLimiter limiter = limiter(60, 3);
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
  void neverRefillsBeyondTheBurstNorBackwards() {
    RateLimiter limiter = limiter(60, 3);
    acquire(limiter, "ada");
    now.addAndGet(3_600_000);
    drain(limiter, "ada", 3);
    assertFalse(acquire(limiter, "ada").allowed(), "an hour refills the burst, no more");

    now.addAndGet(-5000);

    assertEquals(new RateResult(false, 1000), acquire(limiter, "ada"), "a clock behind the bucket's refills nothing");
  }

  @Test
  void chargesTheCostAndWaitsForAllOfIt() {
    RateLimiter limiter = limiter(120, 4);

    assertEquals(RateResult.ALLOWED, result(limiter.tryAcquire("ada", 3)));
    // One token left, three wanted, two per second.
    assertEquals(new RateResult(false, 1000), result(limiter.tryAcquire("ada", 3)));
  }

  @Test
  void refusesCostsThatCouldNeverBePaid() {
    RateLimiter limiter = limiter(60, 3);

    assertInstanceOf(IllegalArgumentException.class, failure(limiter.tryAcquire("ada", 4)));
    assertInstanceOf(IllegalArgumentException.class, failure(limiter.tryAcquire("ada", 0)));
  }

  @Test
  void aLimitGivenWithTheRequestChargesThatBucketByItsOwnRate() {
    RateLimiter limiter = limiter(60, 3);
    RateLimit namespace = new RateLimit(6, 2);

    assertEquals(RateResult.ALLOWED, result(limiter.tryAcquire("ns-ada", 1, namespace)));
    assertEquals(RateResult.ALLOWED, result(limiter.tryAcquire("ns-ada", 1, namespace)));
    // 6 per minute: one token every 10 s.
    assertEquals(new RateResult(false, 10_000), result(limiter.tryAcquire("ns-ada", 1, namespace)));
    assertInstanceOf(IllegalArgumentException.class, failure(limiter.tryAcquire("ns-ada", 3, namespace)),
        "its own burst bounds the cost");
    drain(limiter, "ada", 3);
  }

  protected static RateResult acquire(RateLimiter limiter, String key) {
    return result(limiter.tryAcquire(key, 1));
  }

  protected static void drain(RateLimiter limiter, String key, int tokens) {
    for (int i = 0; i < tokens; i++) {
      assertTrue(acquire(limiter, key).allowed(), "token " + i);
    }
  }
}
