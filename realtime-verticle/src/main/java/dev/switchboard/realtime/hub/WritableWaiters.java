package dev.switchboard.realtime.hub;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * Tasks (replay pages) waiting for a connection's outbound queue to drain, run in order while it has room.
 * Allocated only for a connection that ever had to wait.
 */
public final class WritableWaiters {

  private ArrayDeque<Runnable> tasks;

  public void add(Runnable task) {
    if (tasks == null) {
      tasks = new ArrayDeque<>(2);
    }
    tasks.add(task);
  }

  /** Runs waiting tasks while {@code canWrite} holds; called from the connection's drain handler. */
  public void runWhile(BooleanSupplier canWrite) {
    while (tasks != null && !tasks.isEmpty() && canWrite.getAsBoolean()) {
      tasks.poll().run();
    }
  }

  public void clear() {
    tasks = null;
  }
}
