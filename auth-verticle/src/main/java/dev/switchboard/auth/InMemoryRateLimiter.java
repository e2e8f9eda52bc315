package dev.switchboard.auth;

import dev.switchboard.protocol.RateResult;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@inheritDoc}
 *
 * <p>Buckets live in this process, so each node enforces its own limit: only right for a single node, or with users
 * pinned to one auth instance. Memory stays bounded: a bucket that has refilled completely is equal to no bucket, so
 * such idle buckets are dropped whenever the map has doubled since the last sweep.
 */
public final class InMemoryRateLimiter implements RateLimiter {

  /** No sweep below this many buckets: sweeping a small map saves nothing. */
  static final int MIN_SWEEP_SIZE = 1024;
  /** Absorbs floating-point residue, so a caller that waits exactly {@code retryAfterMs} is allowed. */
  private static final double EPSILON = 1e-9;

  private final RateLimit limit;
  private final LongSupplier clock;
  private final Map<String, Bucket> buckets = new HashMap<>();
  private int sweepAtSize = MIN_SWEEP_SIZE;

  /** @param clock the current time in milliseconds */
  public InMemoryRateLimiter(RateLimit limit, LongSupplier clock) {
    this.limit = limit;
    this.clock = clock;
  }

  @Override
  public Future<RateResult> tryAcquire(String key, int cost) {
    return tryAcquire(key, cost, limit);
  }

  @Override
  public synchronized Future<RateResult> tryAcquire(String key, int cost, RateLimit limit) {
    if (limit.unlimited()) {
      return Future.succeededFuture(RateResult.ALLOWED);
    }
    if (cost < 1 || cost > limit.burst()) {
      return Future.failedFuture(new IllegalArgumentException("cost must be 1-" + limit.burst() + ", got " + cost));
    }
    long now = clock.getAsLong();
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      if (buckets.size() >= sweepAtSize) {
        evictFull(now);
        sweepAtSize = Math.max(MIN_SWEEP_SIZE, 2 * buckets.size());
      }
      bucket = new Bucket(limit, now);
      buckets.put(key, bucket);
    } else {
      bucket.refill(now);
    }
    if (bucket.tokens + EPSILON >= cost) {
      bucket.tokens = Math.max(0, bucket.tokens - cost);
      return Future.succeededFuture(RateResult.ALLOWED);
    }
    long waitMs = (long) Math.ceil((cost - bucket.tokens) / limit.refillPerMs());
    return Future.succeededFuture(new RateResult(false, Math.max(1, waitMs)));
  }

  /** How many buckets are held, for tests of the memory bound. */
  synchronized int size() {
    return buckets.size();
  }

  private void evictFull(long now) {
    buckets.values().removeIf(bucket -> {
      bucket.refill(now);
      return bucket.tokens >= bucket.limit.burst();
    });
  }

  /** One key's tokens as of {@code updatedMs}. */
  private static final class Bucket {

    final RateLimit limit;
    double tokens;
    long updatedMs;

    Bucket(RateLimit limit, long updatedMs) {
      this.limit = limit;
      this.tokens = limit.burst();
      this.updatedMs = updatedMs;
    }

    void refill(long now) {
      // A clock that steps back leaves the bucket as it is rather than draining it.
      if (now > updatedMs) {
        tokens = Math.min(limit.burst(), tokens + (now - updatedMs) * limit.refillPerMs());
        updatedMs = now;
      }
    }
  }
}
