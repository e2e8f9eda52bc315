package dev.switchboard.protocol;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the epoch, read without allocating: the monotonic clock plus an offset taken
 * from {@link Instant#now()} at most once a minute. Persistence stamps each live batch with it at commit and edges
 * compare it with their own, for {@code switchboard_delivery_seconds} and {@code switchboard_fanout_seconds}; across
 * machines the result is as good as their clock synchronisation. Thread-safe.
 */
public final class MicrosClock {

  private static final long RESYNC_NANOS = 60_000_000_000L;

  private static volatile Sync sync = Sync.now();

  private MicrosClock() {
  }

  /** Now, in microseconds since the epoch. */
  public static long now() {
    long nanos = System.nanoTime();
    Sync current = sync;
    if (nanos - current.nanos > RESYNC_NANOS) {
      current = Sync.now();
      sync = current;
    }
    return current.micros + (nanos - current.nanos) / 1000;
  }

  private record Sync(long nanos, long micros) {
    static Sync now() {
      Instant instant = Instant.now();
      long nanos = System.nanoTime();
      return new Sync(nanos, instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000);
    }
  }
}
