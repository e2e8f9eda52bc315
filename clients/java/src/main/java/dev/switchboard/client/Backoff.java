package dev.switchboard.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: exponential backoff with full jitter (docs/PROTOCOL.md, Recommended client behaviour). Attempt
 * {@code n} waits a uniformly random time in {@code [0, min(max, base * 2^n))}, so that thousands of clients dropped
 * by one server restart do not all come back in the same instant.
 */
final class Backoff {

  /** The least wait after the server said {@code rate_limited} without naming a wait (docs/PROTOCOL.md, Errors). */
  static final long RATE_LIMITED_MIN_MS = 1_000;

  private final long baseMs;
  private final long maxMs;
  private int attempt;

  Backoff(long baseMs, long maxMs) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
  }

  /** The upper bound of attempt {@code n}'s delay. */
  static long ceiling(int attempt, long baseMs, long maxMs) {
    // Past 2^30 every realistic cap is reached; clamping keeps the arithmetic from overflowing.
    return Math.min(maxMs, baseMs << Math.min(Math.max(0, attempt), 30));
  }

  /**
   * The wait before retrying after {@code error}, given the backoff's own {@code delayMs}: never less than the wait
   * the server named, and never less than 1 s after {@code rate_limited}, since coming straight back would only be
   * refused again.
   */
  static long retryWait(long delayMs, SwitchboardException error) {
    long asked = error.retryAfterMs();
    long floor = asked > 0 ? asked : error.code() == ErrorCode.RATE_LIMITED ? RATE_LIMITED_MIN_MS : 0;
    return Math.max(delayMs, floor);
  }

  long next() {
    return next(Long.MAX_VALUE);
  }

  /** The next delay, its ceiling lowered to {@code capMs} for this attempt. */
  long next(long capMs) {
    long ceiling = ceiling(attempt++, baseMs, Math.min(maxMs, capMs));
    return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling);
  }

  void reset() {
    attempt = 0;
  }
}
