package dev.switchboard.client;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's one thread: every piece of client state (the connection, subscriptions, publishes, timers) is read
 * and changed only here, as in a JavaScript event loop, so none of it needs a lock. Network callbacks from OkHttp's
 * threads and the application's calls hop onto it with {@link #execute}. Its thread ends with {@link #shutdown}.
 */
final class ClientLoop {

  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  ClientLoop() {
    String name = "switchboard-client-" + CLIENTS.incrementAndGet();
    executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread created = new Thread(runnable, name);
      created.setDaemon(true);
      thread = created;
      return created;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Runs a task on the loop; after shutdown it is dropped. */
  void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException shutDown) {
      // The client is closed: nothing is left to act on.
    }
  }

  /** Runs a task on the loop after a delay; null after shutdown. */
  ScheduledFuture<?> schedule(long delayMs, Runnable task) {
    try {
      return executor.schedule(task, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException shutDown) {
      return null;
    }
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  long now() {
    return System.nanoTime() / 1_000_000;
  }

  /** Stops the thread once the tasks already queued have run; delayed tasks are dropped. */
  void shutdown() {
    executor.shutdown();
  }

  boolean awaitTermination(long timeoutMs) throws InterruptedException {
    return executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
