package dev.switchboard.auth;

/**
 * A token-bucket limit: {@code perMinute} tokens refill evenly over each minute into a bucket holding at most
 * {@code burst}; {@code perMinute == 0} means no limit.
 */
public record RateLimit(int perMinute, int burst) {

  public RateLimit {
    if (perMinute < 0) {
      throw new IllegalArgumentException("SB_PUBLISH_RATE must be 0 (no limit) or more, got " + perMinute);
    }
    if (burst < 0 || (perMinute > 0 && burst < 1)) {
      throw new IllegalArgumentException("SB_PUBLISH_BURST must be at least 1 when SB_PUBLISH_RATE is set, got "
          + burst);
    }
  }

  public boolean unlimited() {
    return perMinute == 0;
  }

  /** Tokens regained per millisecond. */
  double refillPerMs() {
    return perMinute / 60_000.0;
  }
}
