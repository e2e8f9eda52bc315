package dev.switchboard.realtime.hub;

/**
 * One hub's side of {@link HeadChecks}: when its live events last came, when it last read the session's head, and
 * whether a read is out. Used on its edge loop.
 */
final class HeadWatch {

  private boolean reading;
  private long lastLiveAt;
  private long lastCheckAt = System.currentTimeMillis();

  void liveArrived() {
    lastLiveAt = System.currentTimeMillis();
  }

  /** Whether a check is due at {@code now} ({@link HeadChecks#due}) and none is out. */
  boolean due(long now, HeadChecks checks, boolean force) {
    return !reading && checks.due(now, lastLiveAt, lastCheckAt, force);
  }

  void reading(long now) {
    reading = true;
    lastCheckAt = now;
  }

  void read() {
    reading = false;
  }
}
