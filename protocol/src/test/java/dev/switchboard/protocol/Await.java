package dev.switchboard.protocol;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Blocks a test thread on a future or a condition, with a generous deadline that only a hang ever reaches. */
public final class Await {

  private static final long DEADLINE_SECONDS = 30;
  private static final long POLL_INTERVAL_MS = 20;

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    try {
      return future.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Also what await() throws for a future that itself failed with a TimeoutException: tell the two apart.
      return future.failed() ? fail("failed: " + future.cause(), future.cause())
          : fail("no outcome within " + DEADLINE_SECONDS + " s");
    }
  }

  public static Throwable failure(Future<?> future) {
    try {
      future.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      if (!future.failed()) {
        return fail("no outcome within " + DEADLINE_SECONDS + " s");
      }
    } catch (Throwable expected) {
      // await() rethrows the failure, which need not be an Exception (a Redis error reply is a bare Throwable); the
      // future holds it unwrapped.
    }
    assertTrue(future.failed(), "expected a failure, got " + future.result());
    return future.cause();
  }

  /** Returns once {@code condition} holds, checking it every few milliseconds. */
  public static void until(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not reached within " + DEADLINE_SECONDS + " s");
      try {
        Thread.sleep(POLL_INTERVAL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
