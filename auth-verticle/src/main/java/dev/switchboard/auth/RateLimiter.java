package dev.switchboard.auth;

import dev.switchboard.protocol.RateResult;
import io.vertx.core.Future;

/**
 * Per-key publish budgets (docs/PROTOCOL.md, Limits): a token bucket per key (a user id) that holds at most
 * {@link RateLimit#burst()} tokens and regains {@link RateLimit#perMinute()} tokens per minute, evenly.
 *
 * <p>A key never seen before, or not seen for long enough, has a full bucket. An unlimited {@link RateLimit} allows
 * everything and keeps no state. Implementations may keep buckets anywhere (this process, Redis); a caller cannot
 * tell them apart except by their documented scope.
 *
 * <p>Methods may be called from any thread; the returned future completes on the caller's context. A failed future
 * means the store could not be asked; the caller decides whether to allow the request.
 */
public interface RateLimiter {

  /**
   * Takes {@code cost} tokens from {@code key}'s bucket when it holds that many: {@link RateResult#ALLOWED}.
   * Otherwise takes nothing and answers {@code allowed = false} with {@code retryAfterMs > 0}, the time until the
   * bucket will hold {@code cost} tokens if nothing else is taken meanwhile.
   *
   * @param cost 1 to {@link RateLimit#burst()} (a larger cost could never be paid); otherwise the future fails with
   *             {@link IllegalArgumentException}
   */
  Future<RateResult> tryAcquire(String key, int cost);

  /**
   * As {@link #tryAcquire(String, int)}, from a bucket of {@code limit} rather than the limiter's own (a namespace's
   * {@code publishRate}, docs/PROTOCOL.md, Namespaces): callers give a key its own limit every time.
   */
  Future<RateResult> tryAcquire(String key, int cost, RateLimit limit);

  /** Releases what the limiter holds (connections, for example); later calls may fail. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
