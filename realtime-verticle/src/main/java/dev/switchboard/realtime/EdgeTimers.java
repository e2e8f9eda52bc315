package dev.switchboard.realtime;

import io.vertx.core.Vertx;

/**
 * The edge's clock and timers, injected so that the rules built on them (token expiry, the auth deadline, heartbeats)
 * can be tested without waiting. Used on its edge loop.
 */
public interface EdgeTimers {

  /** Milliseconds since the epoch. */
  long now();

  /** Runs {@code task} once after {@code delayMs}; returns an id for {@link #cancel}. */
  long schedule(long delayMs, Runnable task);

  /** Cancels a scheduled task; nothing for one that ran or was cancelled. */
  void cancel(long id);

  /** The wall clock and the timers of {@code vertx}. */
  static EdgeTimers of(Vertx vertx) {
    return new EdgeTimers() {
      @Override
      public long now() {
        return System.currentTimeMillis();
      }

      @Override
      public long schedule(long delayMs, Runnable task) {
        return vertx.setTimer(Math.max(1, delayMs), id -> task.run());
      }

      @Override
      public void cancel(long id) {
        vertx.cancelTimer(id);
      }
    };
  }
}
