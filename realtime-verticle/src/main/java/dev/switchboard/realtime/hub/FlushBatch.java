package dev.switchboard.realtime.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * One delivery round (a committed batch from the bus, a replay page, a gap repair): subscribers write their frames
 * without flushing and are flushed once at the end, so frames that are ready for a socket together leave in one
 * write. On loopback a write costs about 6 us of CPU whatever its size (docs/ARCHITECTURE.md, Why it is built this
 * way), so this, not faster code, is what makes a burst cheap. A lone event is never held back: its round ends as
 * soon as it is written.
 *
 * <p>Not thread-safe: used on its edge loop; rounds may nest, and the outermost one flushes.
 */
public final class FlushBatch {

  private final List<Subscriber> pending = new ArrayList<>();
  private int depth;

  /** Runs {@code round}; subscribers that wrote during it are flushed when the outermost round ends. */
  void around(Runnable round) {
    depth++;
    try {
      round.run();
    } finally {
      if (--depth == 0) {
        flushAll();
      }
    }
  }

  /** True inside a round, where a subscriber may defer its flush. */
  public boolean active() {
    return depth > 0;
  }

  /** A subscriber that deferred a flush in this round; each registers once per round. */
  public void add(Subscriber subscriber) {
    pending.add(subscriber);
  }

  private void flushAll() {
    for (int i = 0; i < pending.size(); i++) {
      pending.get(i).flush();
    }
    pending.clear();
  }
}
