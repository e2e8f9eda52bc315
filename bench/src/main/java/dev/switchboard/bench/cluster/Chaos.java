package dev.switchboard.bench.cluster;

import dev.switchboard.testsupport.FailoverSubscriber;
import dev.switchboard.testsupport.SessionHistory;
import dev.switchboard.testsupport.StoredLog;
import dev.switchboard.testsupport.WireObserver;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A bounded chaos run on loopback: a cluster of N node processes on PostgreSQL and Redis, subscribers spread over the
 * nodes (WebSocket, some SSE) that fail over like real clients, steady publishing over REST with idempotency keys,
 * and a random node killed (alternately {@code kill -9} and SIGTERM) and restarted every interval. At the end it checks
 * that no acknowledged event was lost, no subscriber saw a duplicate or a gap, and every subscriber is at its
 * session's head; it samples each node's heap and RSS as it goes. Results: JSON and Markdown in the output directory.
 *
 * <pre>java -cp bench/target/switchboard-bench.jar dev.switchboard.bench.cluster.Chaos --minutes 10
 *     --subscribers 2000 --nodes 3 --rate 50 --jar server/target/switchboard.jar --pg-url postgresql://...</pre>
 */
public final class Chaos {

  private final ChaosSettings settings;
  private final Random random = new Random();
  private final ChaosCluster cluster;
  private final List<FailoverSubscriber> subscribers = new ArrayList<>();
  private final List<String> sessions = new ArrayList<>();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private Vertx vertx;
  private PacedPublisher publisher;

  private Chaos(ChaosSettings settings) {
    this.settings = settings;
    this.cluster = new ChaosCluster(settings, random);
  }

  public static void main(String[] args) throws Exception {
    ChaosSettings settings = ChaosSettings.parse(args);
    Files.createDirectories(settings.out());
    System.exit(new Chaos(settings).run());
  }

  private int run() throws Exception {
    try {
      log("starting %d nodes", settings.nodes());
      cluster.startAll();
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      String token = devToken();
      for (int i = 0; i < settings.sessions(); i++) {
        sessions.add("chaos-" + i);
      }
      subscribe(token);
      publisher = new PacedPublisher(vertx, token, sessions, cluster.ports());
      publisher.start(settings.rate());
      int kills = killNodesUntilTheEnd();
      publisher.stopIssuing();
      Thread.sleep(3000);
      log("publishing stopped; waiting for every subscriber to be current");
      SessionHistory history = new SessionHistory(WebClient.create(vertx), token, WireObserver.NONE,
          Duration.ofSeconds(30));
      Map<String, StoredLog> stored = new HashMap<>();
      for (String session : sessions) {
        stored.put(session, new StoredLog(history.read(cluster.nodes().get(0).process.httpPort(), session)));
      }
      boolean current = waitUntil(() -> subscribers.stream()
          .allMatch(s -> s.position() == stored.get(s.sessionId()).size()), 120, "every subscriber is current");
      cluster.sampleAll();
      ChaosReport report = new ChaosReport(settings, cluster.nodes(), subscribers, stored, publisher, kills, current,
          events);
      report.write(settings.out());
      log(report.passed() ? "PASS" : "FAIL");
      return report.passed() ? 0 : 1;
    } finally {
      if (publisher != null) {
        publisher.finish();
      }
      subscribers.forEach(FailoverSubscriber::stop);
      cluster.stopAll();
      if (vertx != null) {
        vertx.close();
      }
    }
  }

  private String devToken() throws Exception {
    return WebClient.create(vertx).post(cluster.nodes().get(0).process.httpPort(), "127.0.0.1", "/dev/token")
        .sendJsonObject(new JsonObject().put("sub", "chaos").put("sessions", new JsonArray().add("*"))
            .put("publish", new JsonArray().add("*")).put("ttlSec", 86_400))
        .await(10, TimeUnit.SECONDS).bodyAsJsonObject().getString("token");
  }

  /** Spreads the subscribers over the sessions and nodes, {@code --sse-percent} of them on SSE. */
  private void subscribe(String token) throws InterruptedException {
    int count = settings.subscribers();
    WebSocketClient webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(count * 2));
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false),
        new PoolOptions().setHttp1MaxSize(count * 2));
    for (int i = 0; i < count; i++) {
      FailoverSubscriber.Transport transport = i % 100 < settings.ssePercent()
          ? FailoverSubscriber.Transport.SSE : FailoverSubscriber.Transport.WEBSOCKET;
      subscribers.add(new FailoverSubscriber(vertx, WireObserver.NONE, transport, sessions.get(i % sessions.size()),
          token, cluster::randomLivePort)
          .sharing(webSockets, http)
          // spread out, so that a dead node's clients do not all land on the next one in the same instant
          .retryingAfter(() -> 100 + random.nextInt(400)));
    }
    subscribers.forEach(FailoverSubscriber::start);
    waitUntil(() -> subscribers.stream().allMatch(FailoverSubscriber::isLive), 120, "every subscriber is live");
    log("%d subscribers live over %d sessions (%d%% SSE)", count, sessions.size(), settings.ssePercent());
  }

  /** Until the run's end: a sample every 30 s, a node killed and restarted every interval; returns the kills. */
  private int killNodesUntilTheEnd() throws InterruptedException {
    long end = System.nanoTime() + (long) (settings.minutes() * 60e9);
    long killEvery = settings.killEverySec() * 1_000_000_000L;
    long nextKill = System.nanoTime() + killEvery;
    long nextSample = System.nanoTime();
    int kills = 0;
    while (System.nanoTime() < end) {
      if (System.nanoTime() >= nextSample) {
        cluster.sampleAll();
        nextSample += 30_000_000_000L;
        log("acked %d, publish failures %d, subscribers live %d/%d", publisher.ackedCount(), publisher.failures(),
            subscribers.stream().filter(FailoverSubscriber::isLive).count(), subscribers.size());
      }
      // no kill in the last 20 s: the victim would still be starting when the run ends
      if (System.nanoTime() >= nextKill && System.nanoTime() + 20_000_000_000L < end) {
        ChaosNode victim = cluster.randomNode();
        boolean hard = kills % 2 == 0;
        kills++;
        String what = hard ? "kill -9" : "SIGTERM";
        log("%s node %d", what, victim.index);
        events.add(Instant.now() + " " + what + " node " + victim.index);
        cluster.killAndRestart(victim, hard);
        log("node %d back", victim.index);
        nextKill = System.nanoTime() + killEvery;
      }
      Thread.sleep(200);
    }
    return kills;
  }

  private static boolean waitUntil(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        log("gave up waiting until %s", what);
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  private static void log(String format, Object... args) {
    System.err.printf("%s chaos: %s%n", Instant.now(), String.format(format, args));
  }
}
