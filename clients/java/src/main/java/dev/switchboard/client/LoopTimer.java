package dev.switchboard.client;

import java.util.concurrent.ScheduledFuture;

/** One re-armable timer on the client loop: arming it again replaces what was planned. Used on the loop only. */
final class LoopTimer {

  private final ClientLoop loop;
  private ScheduledFuture<?> planned;

  LoopTimer(ClientLoop loop) {
    this.loop = loop;
  }

  void arm(long delayMs, Runnable task) {
    cancel();
    ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
    self[0] = loop.schedule(delayMs, () -> {
      if (planned == self[0]) {
        planned = null;
        task.run();
      }
    });
    planned = self[0];
  }

  void cancel() {
    if (planned != null) {
      planned.cancel(false);
      planned = null;
    }
  }

  boolean armed() {
    return planned != null;
  }
}
