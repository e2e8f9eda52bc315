package dev.switchboard.server.cluster;

import dev.switchboard.protocol.TestPostgres;
import dev.switchboard.testsupport.FailoverSubscriber;
import dev.switchboard.testsupport.NodeProcess;
import dev.switchboard.testsupport.PollingSubscriber;
import dev.switchboard.testsupport.Publishers;
import dev.switchboard.testsupport.SessionHistory;
import dev.switchboard.testsupport.StoredLog;
import dev.switchboard.testsupport.WireObserver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

import static dev.switchboard.server.cluster.ClusterHarness.freePort;
import static dev.switchboard.server.cluster.ClusterHarness.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publishing from an application's own transaction ({@code sb_publish}, README: Publishing from your database) on a
 * two-process cluster, both running every role (so two persistence instances listen), over a real PostgreSQL. The
 * application connects as a role granted only the functions. The tests run in order; the last one kills a node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransactionalPublishTest {

  private static final String SECRET = "txpub-test-secret-txpub-test-secret-xx";
  private static final Duration START = Duration.ofSeconds(90);
  private static final WireObserver WIRE = SpecCheckedWire.INSTANCE;
  /** How long the application's transaction stays open in the test of that name: what the issue asks for. */
  private static final Duration HELD_OPEN = Duration.ofSeconds(30);

  private static String pgUrl;
  private static AppDatabase db;
  private static NodeProcess a;
  private static NodeProcess b;
  private static Vertx vertx;
  private static WebClient http;
  private static String token;
  private static SessionHistory history;

  @BeforeAll
  static void startCluster() throws Exception {
    Path logs = Files.createTempDirectory("switchboard-txpub");
    pgUrl = TestPostgres.freshDatabase();
    int[] hazelcast = {freePort(), freePort()};
    Map<String, String> common = new HashMap<>();
    common.put("SB_CLUSTER", "true");
    common.put("SB_CLUSTER_NAME", "txpub-" + UUID.randomUUID());
    common.put("SB_CLUSTER_MEMBERS", "127.0.0.1:" + hazelcast[0] + ",127.0.0.1:" + hazelcast[1]);
    common.put("SB_JWT_SECRET", SECRET);
    common.put("SB_DEV_TOKENS", "true");
    common.put("SB_PUBLISH_RATE", "0");
    common.put("SB_CANARY_INTERVAL", "0");
    common.put("SB_HEARTBEAT_SEC", "30"); // subscribers in this JVM on a busy machine (TestNode says why)
    a = node("a", hazelcast[0], common, logs);
    b = node("b", hazelcast[1], common, logs);
    a.start().awaitReady(START);
    b.start().awaitReady(START);
    db = AppDatabase.withPublisherRole(pgUrl);
    vertx = Vertx.vertx();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
    token = ClusterHarness.devToken(http, a.httpPort());
    history = new SessionHistory(http, token, WIRE, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopCluster() throws SQLException {
    Stream.of(a, b).filter(n -> n != null).forEach(NodeProcess::close);
    if (vertx != null) {
      vertx.close().await();
    }
    if (db != null) {
      db.dropPublisherRole();
    }
  }

  @Test
  @Order(1)
  void committedPublishesReachEverySubscriberOnBothNodesOnceAndInOrderWithApiPublishes() throws Exception {
    String session = "txmix";
    Subscribers subscribers = Subscribers.onBoth(session, 0);
    until(subscribers::live, "WebSocket and SSE subscribers on both nodes");
    Publishers api = new Publishers(vertx, WIRE, session, token, roundRobin()).start(2, 0);
    // Two application connections, each running transactions of one to three publishes; every fifth rolls back.
    Set<Long> committed = ConcurrentHashMap.newKeySet();
    ExecutorService apps = Executors.newFixedThreadPool(2);
    List<Future<?>> done = new ArrayList<>();
    for (int app = 0; app < 2; app++) {
      int appId = app;
      done.add(apps.submit(() -> {
        try (Connection connection = db.app()) {
          connection.setAutoCommit(false);
          for (int t = 0; t < 25; t++) {
            boolean rollBack = t % 5 == 4;
            List<Long> refs = new ArrayList<>();
            for (int i = 0; i <= t % 3; i++) {
              String payload = new JsonObject().put("app", appId).put("tx", t).put("i", i).encode();
              refs.add(AppDatabase.publish(connection, session, rollBack ? "rolled-back" : "tx", payload, null));
            }
            if (rollBack) {
              connection.rollback();
            } else {
              connection.commit();
              committed.addAll(refs);
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> app : done) {
      app.get(60, TimeUnit.SECONDS);
    }
    apps.shutdown();
    until(() -> api.acked.size() >= 100, "API publishes");
    api.stop();

    long head = api.acked.size() + committed.size();
    until(() -> db.published(committed).size() == committed.size(), "every committed publish is numbered");
    StoredLog stored = new StoredLog(history.read(a.httpPort(), session));
    assertEquals(head, stored.size(), "one event per acknowledged API publish and per committed sb_publish");
    assertEquals(0, stored.misnumbered(), "gapless");
    assertEquals(List.of(), stored.acknowledgedMissing(api.acked), "each API publish under its eventId");
    List<JsonObject> events = history.read(b.httpPort(), session);
    assertFalse(events.stream().anyMatch(e -> e.getString("eventType").equals("rolled-back")), "no rolled-back event");
    assertEquals(committed.size(), events.stream().filter(e -> e.getString("eventType").equals("tx")).count());
    subscribers.untilAllAt(head);
    subscribers.assertOnceAndInOrderThenStop();
  }

  @Test
  @Order(2)
  void oneTransactionPublishingToSeveralSessionsDeliversThemAllAfterItsCommit() throws Exception {
    List<String> sessions = List.of("multi-1", "multi-2", "multi-3");
    List<Subscribers> subscribers = new ArrayList<>();
    for (String session : sessions) {
      subscribers.add(Subscribers.onBoth(session, 0));
    }
    until(() -> subscribers.stream().allMatch(Subscribers::live), "subscribers of every session");
    try (Connection app = db.app()) {
      app.setAutoCommit(false);
      for (int round = 1; round <= 2; round++) {
        for (String session : sessions) {
          AppDatabase.publish(app, session, "round", new JsonObject().put("round", round).encode(), "ada");
        }
      }
      app.commit();
    }
    for (Subscribers each : subscribers) {
      each.untilAllAt(2);
      each.assertOnceAndInOrderThenStop();
    }
    for (String session : sessions) {
      List<JsonObject> events = history.read(b.httpPort(), session);
      assertEquals(List.of(1, 2), events.stream().map(e -> e.getJsonObject("payload").getInteger("round")).toList());
      assertEquals("ada", events.get(0).getString("userId"));
    }
  }

  @Test
  @Order(3)
  void aTransactionHeldOpenThirtySecondsDelaysNoApiPublishAndFailsNoBatch() throws Exception {
    String held = "held-a";
    String other = "held-b";
    Subscribers subscribers = Subscribers.onBoth(held, 0);
    until(subscribers::live, "subscribers of the held session");
    List<Long> latenciesMs = new ArrayList<>();
    int heldApi = 0;
    int otherApi = 0;
    try (Connection app = db.app()) {
      app.setAutoCommit(false);
      AppDatabase.publish(app, held, "held", "{}", null);
      long openedAt = System.nanoTime();
      // One publish at a time on alternate nodes, mostly to the other session and every fifth to the held one: were
      // either waiting for the held transaction, it would not be answered before the commit below.
      for (int n = 0; System.nanoTime() - openedAt < HELD_OPEN.toNanos(); n++) {
        String session = n % 5 == 4 ? held : other;
        long started = System.nanoTime();
        long eventId = restPublish(n % 2 == 0 ? a : b, session, n);
        latenciesMs.add((System.nanoTime() - started) / 1_000_000);
        if (session.equals(held)) {
          assertEquals(++heldApi, eventId, "an API publish to the held session is numbered at once");
        } else {
          assertEquals(++otherApi, eventId);
        }
      }
      assertTrue(AppDatabase.inTransaction(app), "every API publish was answered while the transaction was open");
      app.commit();
    }
    Collections.sort(latenciesMs);
    System.out.printf("txpub: %d API publishes while a transaction stayed open %d s: p50 %d ms, p99 %d ms, max %d ms%n",
        latenciesMs.size(), HELD_OPEN.toSeconds(), latenciesMs.get(latenciesMs.size() / 2),
        latenciesMs.get(latenciesMs.size() * 99 / 100), latenciesMs.get(latenciesMs.size() - 1));
    subscribers.untilAllAt(heldApi + 1);
    subscribers.assertOnceAndInOrderThenStop();
    List<JsonObject> events = history.read(a.httpPort(), held);
    assertEquals("held", events.get(events.size() - 1).getString("eventType"),
        "the held transaction's event follows the API publishes made while it was open");
    assertEquals(otherApi, history.read(b.httpPort(), other).size());
    for (NodeProcess node : List.of(a, b)) {
      String log = Files.readString(node.logFile());
      assertFalse(log.contains("append of a batch"), node.name() + " failed no append batch");
    }
  }

  @Test
  @Order(4)
  void eventsARelayCommittedButNeverPublishedReachSubscribersThroughRepair() throws Exception {
    String session = "unpublished";
    Subscribers subscribers = Subscribers.onBoth(session, 0);
    until(subscribers::live, "subscribers");
    // A live event first: hubs check the log's head soon after live events go quiet (docs/ARCHITECTURE.md, Fan-out).
    restPublish(a, session, 0);
    subscribers.untilAllAt(1);
    // This test relays instead of the nodes, as a persistence instance that died right after its commit would have:
    // the events are numbered and stored, and no live publish ever leaves.
    try (Connection relay = db.admin()) {
      relay.setAutoCommit(false);
      AppDatabase.takeTheRelayTurn(relay);
      try (Connection app = db.app()) {
        app.setAutoCommit(false);
        AppDatabase.publish(app, session, "unpublished", "{\"i\":1}", null);
        AppDatabase.publish(app, session, "unpublished", "{\"i\":2}", null);
        app.commit();
      }
      assertEquals(2, AppDatabase.relayWithoutPublishing(relay), "the test's relay numbered both events");
      relay.commit();
    }
    subscribers.untilAllAt(3);
    subscribers.assertOnceAndInOrderThenStop();
  }

  @Test
  @Order(5)
  void killingThePersistenceInstanceWhoseRelayIsUnderWayStillDelivers() throws Exception {
    String session = "kill";
    Subscribers subscribers = Subscribers.onBoth(session, 0);
    until(subscribers::live, "subscribers");
    restPublish(a, session, 0);
    subscribers.untilAllAt(1);
    long ref;
    try (Connection lock = db.admin()) {
      // Holding the session's head keeps the relay that took the event waiting inside its statement.
      lock.setAutoCommit(false);
      AppDatabase.lockHead(lock, session);
      try (Connection app = db.app()) {
        app.setAutoCommit(false);
        ref = AppDatabase.publish(app, session, "survived", "{}", null);
        app.commit();
      }
      NodeProcess victim = db.relayWaitingForAHead().equals("sb-a") ? a : b;
      victim.kill9();
      // The dead node's statement now finishes: PostgreSQL commits it (its client had sent everything) and nobody
      // publishes it live, or rolls it back and the other node relays the event. Either way it must arrive.
      lock.commit();
    }
    until(() -> db.published(List.of(ref)).size() == 1, "the event is numbered");
    assertEquals(List.of(2L), db.published(List.of(ref)));
    subscribers.untilAllAt(2);
    subscribers.assertOnceAndInOrderThenStop();
  }

  /** Publishes over REST to {@code node}; returns the eventId; fails on anything but 201. */
  private static long restPublish(NodeProcess node, String session, int n) throws Exception {
    var request = http.post(node.httpPort(), "127.0.0.1", "/sessions/" + session + "/events")
        .bearerTokenAuthentication(token);
    var answer = request.sendJsonObject(new JsonObject().put("eventType", "api").put("payload",
        new JsonObject().put("n", n))).await(15, TimeUnit.SECONDS);
    WIRE.httpAnswer(request, answer);
    assertEquals(201, answer.statusCode(), answer.bodyAsString());
    return Long.parseLong(answer.bodyAsJsonObject().getString("eventId"));
  }

  private static IntSupplier roundRobin() {
    AtomicInteger calls = new AtomicInteger();
    return () -> (calls.getAndIncrement() % 2 == 0 ? a : b).httpPort();
  }

  private static NodeProcess node(String name, int hazelcastPort, Map<String, String> common, Path logs)
      throws Exception {
    Map<String, String> env = new HashMap<>(common);
    env.put("SB_ROLES", "edge,auth,presence,persistence");
    env.put("SB_CLUSTER_PORT", Integer.toString(hazelcastPort));
    env.put("SB_NODE_ID", name);
    // Named, so the kill test can tell whose connection is waiting.
    env.put("SB_PG_URL", pgUrl + "?application_name=sb-" + name);
    return new NodeProcess(name, freePort(), env, logs, NodeProcess.onThisClassPath("dev.switchboard.server.Main"));
  }

  /** A WebSocket, an SSE and a long-polling subscriber on each node, each failing over to the other node. */
  private record Subscribers(List<FailoverSubscriber> streams, List<PollingSubscriber> polls) {

    static Subscribers onBoth(String session, long from) {
      List<FailoverSubscriber> streams = new ArrayList<>();
      List<PollingSubscriber> polls = new ArrayList<>();
      for (NodeProcess first : List.of(a, b)) {
        IntSupplier ports = failover(first);
        for (FailoverSubscriber.Transport transport : FailoverSubscriber.Transport.values()) {
          streams.add(new FailoverSubscriber(vertx, WIRE, transport, session, token, failover(first))
              .startFrom(from));
        }
        polls.add(new PollingSubscriber(vertx, WIRE, session, token, ports).startFrom(from));
      }
      return new Subscribers(streams, polls);
    }

    boolean live() {
      return streams.stream().allMatch(FailoverSubscriber::isLive);
    }

    void untilAllAt(long eventId) throws InterruptedException {
      until(() -> streams.stream().allMatch(s -> s.position() == eventId)
          && polls.stream().allMatch(p -> p.position() == eventId), "every subscriber at " + eventId + ": " + this);
    }

    void assertOnceAndInOrderThenStop() {
      for (FailoverSubscriber stream : streams) {
        assertEquals(0, stream.duplicates(), stream.toString());
        assertEquals(0, stream.gaps(), stream.toString());
        stream.stop();
      }
      for (PollingSubscriber poll : polls) {
        assertEquals(0, poll.duplicates(), poll.toString());
        assertEquals(0, poll.gaps(), poll.toString());
        assertEquals(0, poll.resets(), poll.toString());
        poll.stop();
      }
    }

    /** {@code first}, then the other node, then {@code first} again, and so on. */
    private static IntSupplier failover(NodeProcess first) {
      NodeProcess second = first == a ? b : a;
      AtomicInteger calls = new AtomicInteger();
      return () -> (calls.getAndIncrement() % 2 == 0 ? first : second).httpPort();
    }
  }
}
