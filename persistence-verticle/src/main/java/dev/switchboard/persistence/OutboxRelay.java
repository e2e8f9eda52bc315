package dev.switchboard.persistence;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Keeps the outbox moving ({@link EventStore#relayOutbox}): at most one relay in flight; another at once when a page
 * came back with events or a wake came during the relay; each relayed page handed on in relay order. A failed relay
 * is not retried at once: the next wake (a notification, or the periodic one) tries again.
 *
 * <p>Not thread-safe: wake it from one Vert.x context, on which the relay's futures also complete.
 */
final class OutboxRelay {

  private final IntFunction<Future<List<AppendOutcome>>> relay;
  private final int pageSize;
  private final Consumer<List<AppendOutcome>> relayed;
  private final Consumer<Throwable> failed;
  private final List<Promise<Void>> idleWaiters = new ArrayList<>();
  private boolean inFlight;
  private boolean wanted;
  private boolean stopped;

  /**
   * @param relay    relays one page of at most the given size
   * @param relayed  gets each non-empty page, in relay order
   * @param failed   gets each failure of a relay
   */
  OutboxRelay(IntFunction<Future<List<AppendOutcome>>> relay, int pageSize, Consumer<List<AppendOutcome>> relayed,
              Consumer<Throwable> failed) {
    this.relay = relay;
    this.pageSize = pageSize;
    this.relayed = relayed;
    this.failed = failed;
  }

  /** The outbox may hold committed events: relay now, or right after the relay in flight. */
  void wake() {
    if (stopped) {
      return;
    }
    if (inFlight) {
      wanted = true;
      return;
    }
    inFlight = true;
    wanted = false;
    Future<List<AppendOutcome>> page;
    try {
      page = relay.apply(pageSize);
    } catch (RuntimeException e) {
      page = Future.failedFuture(e);
    }
    page.onComplete(result -> {
      inFlight = false;
      if (result.succeeded()) {
        if (!result.result().isEmpty()) {
          relayed.accept(result.result());
        }
        // A page may end early (at a repeated idempotency key): relay until a page comes back empty.
        wanted |= !result.result().isEmpty();
      } else {
        wanted = false;
        failed.accept(result.cause());
      }
      if (wanted && !stopped) {
        wake();
      } else {
        idleWaiters.forEach(Promise::complete);
        idleWaiters.clear();
      }
    });
  }

  /** Wakes no more; completes when the relay in flight, if any, has finished. */
  Future<Void> stop() {
    stopped = true;
    if (!inFlight) {
      return Future.succeededFuture();
    }
    Promise<Void> idle = Promise.promise();
    idleWaiters.add(idle);
    return idle.future();
  }
}
