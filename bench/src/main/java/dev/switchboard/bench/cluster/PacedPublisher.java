package dev.switchboard.bench.cluster;

import dev.switchboard.testsupport.NumberedEvents;
import dev.switchboard.testsupport.WireObserver;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes numbered events over REST at a steady rate, whatever the answers (an open loop, as many independent
 * clients would): event n goes to session n mod sessions through node n mod nodes. A failed publish is retried with
 * the same idempotency key on the next node until it is acknowledged, even after issuing stops, until the run ends.
 */
final class PacedPublisher {

  private final Vertx vertx;
  private final NumberedEvents events;
  private final List<String> sessions;
  private final List<Integer> ports;
  /** Per session: acknowledged number -> eventId. */
  private final Map<String, Map<Integer, Long>> acked = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean issuing = true;
  private volatile boolean finished;

  PacedPublisher(Vertx vertx, String token, List<String> sessions, List<Integer> ports) {
    this.vertx = vertx;
    this.events = new NumberedEvents(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setConnectTimeout(2000), new PoolOptions().setHttp1MaxSize(64)), token, WireObserver.NONE);
    this.sessions = sessions;
    this.ports = ports;
    sessions.forEach(session -> acked.put(session, new ConcurrentHashMap<>()));
  }

  void start(int perSecond) {
    AtomicInteger counter = new AtomicInteger();
    long start = System.nanoTime();
    long[] issued = {0};
    vertx.setPeriodic(5, timer -> {
      if (!issuing) {
        vertx.cancelTimer(timer);
        return;
      }
      long due = (System.nanoTime() - start) * perSecond / 1_000_000_000L;
      for (; issued[0] < due; issued[0]++) {
        int n = counter.incrementAndGet();
        publish(sessions.get(n % sessions.size()), n, 0);
      }
    });
  }

  private void publish(String session, int n, int attempt) {
    int port = ports.get(Math.floorMod(n + attempt, ports.size()));
    events.publish(port, session, "n-" + n, n).onComplete(ar -> {
      if (ar.succeeded()) {
        acked.get(session).put(n, ar.result());
      } else if (!finished) {
        failures.incrementAndGet();
        vertx.setTimer(100, t -> publish(session, n, attempt + 1));
      }
    });
  }

  /** No new events; failed ones are still retried. */
  void stopIssuing() {
    issuing = false;
  }

  /** No retries either: the nodes are going away. */
  void finish() {
    issuing = false;
    finished = true;
  }

  /** Acknowledged number -> eventId, for one session. */
  Map<Integer, Long> acked(String session) {
    return acked.get(session);
  }

  long ackedCount() {
    return acked.values().stream().mapToLong(Map::size).sum();
  }

  /** Publish attempts that failed (and were retried). */
  long failures() {
    return failures.get();
  }
}
