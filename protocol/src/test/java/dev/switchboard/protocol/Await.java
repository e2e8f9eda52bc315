package dev.switchboard.protocol;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Blocks a test thread on a future, with a generous deadline that only a hang ever reaches. */
public final class Await {

  private static final long DEADLINE_SECONDS = 30;

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    try {
      return future.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("no outcome within " + DEADLINE_SECONDS + " s");
    }
  }

  public static Throwable failure(Future<?> future) {
    try {
      future.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("no outcome within " + DEADLINE_SECONDS + " s");
    } catch (Throwable expected) {
      // await() rethrows the failure, which need not be an Exception (a Redis error reply is a bare Throwable); the
      // future holds it unwrapped.
    }
    assertTrue(future.failed(), "expected a failure, got " + future.result());
    return future.cause();
  }
}
