package dev.switchboard.persistence;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns single submissions into batches with at most one batch in flight (group commit).
 *
 * <p>A submission made while no batch is in flight is committed at once, alone: nothing waits for company. While a
 * batch is in flight, submissions queue up; when it completes they are committed together as the next batch (at most
 * {@code maxBatch} of them, the rest in the batches after). A batch therefore lasts about one commit, which is how
 * durable commits and throughput coexist.
 *
 * <p>Batches are committed one after another in submission order, so the commit order is the submission order.
 * Not thread-safe: submit from one Vert.x context, on which the commit function's futures also complete.
 *
 * @param <T> what is submitted
 * @param <R> what each submission comes to
 */
public final class GroupCommitter<T, R> {

  /** The largest batch when none is configured. */
  public static final int DEFAULT_MAX_BATCH = 1000;

  private final Function<List<T>, Future<List<R>>> commit;
  private final int maxBatch;
  private final ArrayDeque<Submission<T, R>> queue = new ArrayDeque<>();
  private final List<Promise<Void>> idleWaiters = new ArrayList<>();
  private boolean inFlight;
  private boolean flushing;
  // Written on the owning context only; volatile so metrics and tests may read them from any thread.
  private volatile long submissions;
  private volatile long batches;

  /**
   * @param commit stores one batch; its list of results must match the batch in size and order, and a failure fails
   *               every submission of the batch
   */
  public GroupCommitter(Function<List<T>, Future<List<R>>> commit, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
    }
    this.commit = commit;
    this.maxBatch = maxBatch;
  }

  /** Queues one item; the future completes when the batch holding it has committed (or failed). */
  public Future<R> submit(T item) {
    Promise<R> promise = Promise.promise();
    queue.add(new Submission<>(item, promise));
    submissions++;
    flushIfIdle();
    return promise.future();
  }

  /** Completes once nothing is queued or in flight (at once when idle). */
  public Future<Void> whenIdle() {
    if (!inFlight && queue.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    idleWaiters.add(promise);
    return promise.future();
  }

  /** How many items were submitted. */
  public long submissions() {
    return submissions;
  }

  /** How many batches were handed to the commit function. */
  public long batches() {
    return batches;
  }

  private void flushIfIdle() {
    if (flushing) {
      // A commit completed synchronously inside the loop below, which picks up the queue itself: no recursion.
      return;
    }
    flushing = true;
    try {
      while (!inFlight && !queue.isEmpty()) {
        startBatch();
      }
    } finally {
      flushing = false;
    }
    if (!inFlight && queue.isEmpty() && !idleWaiters.isEmpty()) {
      List<Promise<Void>> waiters = new ArrayList<>(idleWaiters);
      idleWaiters.clear();
      waiters.forEach(Promise::complete);
    }
  }

  private void startBatch() {
    int size = Math.min(queue.size(), maxBatch);
    List<Submission<T, R>> batch = new ArrayList<>(size);
    List<T> items = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      Submission<T, R> submission = queue.poll();
      batch.add(submission);
      items.add(submission.item());
    }
    inFlight = true;
    batches++;
    Future<List<R>> committed;
    try {
      committed = commit.apply(items);
    } catch (RuntimeException e) {
      committed = Future.failedFuture(e);
    }
    committed.onComplete(result -> {
      inFlight = false;
      complete(batch, result);
      flushIfIdle();
    });
  }

  private static <T, R> void complete(List<Submission<T, R>> batch, AsyncResult<List<R>> result) {
    if (result.succeeded() && result.result().size() != batch.size()) {
      IllegalStateException mismatch = new IllegalStateException(
          "commit returned " + result.result().size() + " results for a batch of " + batch.size());
      batch.forEach(submission -> submission.promise().fail(mismatch));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      if (result.succeeded()) {
        batch.get(i).promise().complete(result.result().get(i));
      } else {
        batch.get(i).promise().fail(result.cause());
      }
    }
  }

  private record Submission<T, R>(T item, Promise<R> promise) {
  }
}
