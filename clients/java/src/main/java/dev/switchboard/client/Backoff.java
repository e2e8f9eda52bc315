package dev.switchboard.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: exponential backoff with full jitter (docs/PROTOCOL.md, Recommended client behaviour). Attempt
 * {@code n} waits a uniformly random time in {@code [0, min(max, base * 2^n))}, so that thousands of clients dropped
 * by one server restart do not all come back in the same instant.
 */
final class Backoff {

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

  long next() {
    long ceiling = ceiling(attempt++, baseMs, maxMs);
    return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling);
  }

  void reset() {
    attempt = 0;
  }
}
