package dev.switchboard.server.cluster;

import dev.switchboard.server.SpecViolations;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
final class Publishers {

  private final Vertx vertx;
  private final WebClient http;
  private final String sessionId;
  private final String token;
  private final IntSupplier nextPort;
  /** Idempotency keys are this run's own: another run's numbers are other events. */
  private final String keyPrefix = UUID.randomUUID().toString();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  /** Acknowledged numbers and the eventId each was stored under. */
  final Map<Integer, Long> acked = new ConcurrentHashMap<>();
  private volatile boolean stopped;
  private volatile long pauseMs;

  Publishers(Vertx vertx, String sessionId, String token, IntSupplier nextPort) {
    this.vertx = vertx;
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setConnectTimeout(2000)
        .setIdleTimeout(10));
    this.sessionId = sessionId;
    this.token = token;
    this.nextPort = nextPort;
  }

  /** Starts {@code lanes} publishers, each pausing {@code pauseMs} between its events. */
  Publishers start(int lanes, long pauseMs) {
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
    var request = http.post(nextPort.getAsInt(), "127.0.0.1", "/sessions/" + sessionId + "/events")
        .bearerTokenAuthentication(token)
        .timeout(15_000);
    request.sendJsonObject(new JsonObject().put("eventType", "n").put("idempotencyKey", keyPrefix + "-" + n)
            .put("payload", new JsonObject().put("n", n)))
        .onSuccess(response -> SpecViolations.checked(request, response))
        .onComplete(ar -> {
          if (ar.succeeded() && (ar.result().statusCode() == 201 || ar.result().statusCode() == 200)) {
            acked.put(n, Long.parseLong(ar.result().bodyAsJsonObject().getString("eventId")));
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

  int failures() {
    return failures.get();
  }

  /** Stops after each lane's current publish (retries included) has an answer. */
  void stop() throws InterruptedException {
    stopped = true;
    long deadline = System.currentTimeMillis() + 30_000;
    while (running.get() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
  }
}
