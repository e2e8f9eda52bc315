package dev.switchboard.testsupport;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Lanes of REST publishers, each publishing numbered events one after another, like a careful client: a failed
 * publish is retried on the next node with the same idempotency key, so each number is stored once, whatever fails.
 */
public final class Publishers {

  private final Vertx vertx;
  private final NumberedEvents events;
  private final String sessionId;
  private final IntSupplier nextPort;
  /** Idempotency keys are this run's own: another run's numbers are other events. */
  private final String keyPrefix = UUID.randomUUID().toString();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  /** Acknowledged numbers and the eventId each was stored under. */
  public final Map<Integer, Long> acked = new ConcurrentHashMap<>();
  private volatile boolean stopped;
  private volatile long pauseMs;

  /** @param wire sees every answer */
  public Publishers(Vertx vertx, WireObserver wire, String sessionId, String token, IntSupplier nextPort) {
    this.vertx = vertx;
    this.events = new NumberedEvents(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setConnectTimeout(2000).setIdleTimeout(10)), token, wire);
    this.sessionId = sessionId;
    this.nextPort = nextPort;
  }

  /** Starts {@code lanes} publishers, each pausing {@code pauseMs} between its events. */
  public Publishers start(int lanes, long pauseMs) {
    this.pauseMs = pauseMs;
    for (int i = 0; i < lanes; i++) {
      running.incrementAndGet();
      vertx.runOnContext(v -> publish(next.incrementAndGet()));
    }
    return this;
  }

  private void publish(int n) {
    if (stopped) {
      running.decrementAndGet();
      return;
    }
    events.publish(nextPort.getAsInt(), sessionId, keyPrefix + "-" + n, n).onComplete(ar -> {
      if (ar.succeeded()) {
        acked.put(n, ar.result());
        after(pauseMs, () -> publish(next.incrementAndGet()));
      } else {
        failures.incrementAndGet();
        if (stopped) {
          running.decrementAndGet();
        } else {
          after(50, () -> publish(n));
        }
      }
    });
  }

  private void after(long millis, Runnable task) {
    if (millis <= 0) {
      task.run();
    } else {
      vertx.setTimer(millis, t -> task.run());
    }
  }

  public int failures() {
    return failures.get();
  }

  /** Stops after each lane's current publish (retries included) has an answer. */
  public void stop() throws InterruptedException {
    stopped = true;
    long deadline = System.currentTimeMillis() + 30_000;
    while (running.get() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
  }
}
