package dev.switchboard.protocol;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Hands a future's outcome back to the context that asked for it. Clients of PostgreSQL and Redis complete their
 * futures on their own connection's event loop; a store whose contract says "completes on the caller's context"
 * passes its results through here.
 */
public final class CallerContext {

  private CallerContext() {
  }

  /** {@code future}'s outcome, delivered on {@code context} (at once when already on it). */
  public static <T> Future<T> completeOn(Context context, Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> {
      if (Vertx.currentContext() == context) {
        promise.handle(ar);
      } else {
        context.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }
}
