package dev.switchboard.presence;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks one at a time in submission order: a task starts only once the one before it has completed,
 * whether it succeeded or failed, and the callbacks on that task's future have run. Used from one Vert.x context, like
 * the verticle that owns it.
 */
final class OrderedTasks {

  private final Queue<Supplier<Future<?>>> waiting = new ArrayDeque<>();
  private boolean running;

  /** Queues {@code task}; the returned future completes with the task's outcome once it has run. */
  <T> Future<T> submit(Supplier<Future<T>> task) {
    Promise<T> outcome = Promise.promise();
    waiting.add(() -> start(task).onComplete(outcome));
    if (!running) {
      drain();
    }
    return outcome.future();
  }

  /**
   * Runs waiting tasks until one is still in flight, then resumes when it completes. A loop rather than a chain of
   * callbacks, so that a long queue of tasks that complete at once never deepens the stack.
   */
  private void drain() {
    running = true;
    Supplier<Future<?>> next;
    while ((next = waiting.poll()) != null) {
      Future<?> done = next.get();
      if (!done.isComplete()) {
        done.onComplete(ignored -> drain());
        return;
      }
    }
    running = false;
  }

  private static <T> Future<T> start(Supplier<Future<T>> task) {
    try {
      return task.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
