package dev.switchboard.server.cluster;

import dev.switchboard.protocol.TestPostgres;
import dev.switchboard.testsupport.FailoverSubscriber;
import dev.switchboard.testsupport.NodeProcess;
import dev.switchboard.testsupport.PrometheusText;
import dev.switchboard.testsupport.Publishers;
import dev.switchboard.testsupport.ResumeTimes;
import dev.switchboard.testsupport.SessionHistory;
import dev.switchboard.testsupport.StoredLog;
import dev.switchboard.testsupport.WireObserver;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.switchboard.server.cluster.ClusterHarness.freePort;
import static dev.switchboard.server.cluster.ClusterHarness.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three Switchboard processes in one Hazelcast cluster on PostgreSQL, on loopback:
 * <ul>
 *   <li>A: every role (the only presence instance);</li>
 *   <li>B: edge, auth, persistence (the second persistence instance);</li>
 *   <li>C: edge, auth.</li>
 * </ul>
 * The tests run in order on the one cluster, killing and restarting its members as a deployment would see them die:
 * C is killed, comes back as a late joiner and is finally drained; B (a persistence instance) is killed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

  private static final String SECRET = "cluster-test-secret-cluster-test-secret";
  private static final String API_KEY = "cluster-test-operator-key";
  private static final Duration START = Duration.ofSeconds(90);
  /** Every frame and answer the harness receives is checked against the contract's specifications. */
  private static final WireObserver WIRE = SpecCheckedWire.INSTANCE;

  private static Path logs;
  private static NodeProcess a;
  private static NodeProcess b;
  private static NodeProcess c;
  private static Vertx vertx;
  private static WebClient http;
  private static String token;
  private static SessionHistory history;

  @BeforeAll
  static void startCluster() throws Exception {
    logs = Files.createTempDirectory("switchboard-cluster");
    String pgUrl = TestPostgres.freshDatabase();
    int[] hazelcast = {freePort(), freePort(), freePort()};
    String members = Arrays.stream(hazelcast).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    Map<String, String> common = new HashMap<>();
    common.put("SB_CLUSTER", "true");
    common.put("SB_CLUSTER_NAME", "test-" + UUID.randomUUID());
    common.put("SB_CLUSTER_MEMBERS", members);
    common.put("SB_PG_URL", pgUrl);
    common.put("SB_JWT_SECRET", SECRET);
    common.put("SB_DEV_TOKENS", "true");
    common.put("SB_PUBLISH_RATE", "0");
    common.put("SB_DRAIN_GRACE", "10s");
    // Subscribers in this JVM on a busy machine: two missed 5 s heartbeats must not close them (TestNode says why).
    common.put("SB_HEARTBEAT_SEC", "30");
    common.put("SB_API_KEY", API_KEY);
    // Short canary rounds, so each edge's canary latency shows within the first test's time.
    common.put("SB_CANARY_INTERVAL", "250ms");
    a = node("a", "edge,auth,presence,persistence", hazelcast[0], common);
    b = node("b", "edge,auth,persistence", hazelcast[1], common);
    // C runs namespaces of its own, as a node half-way through a rolling update of the configuration would.
    Path otherNamespaces = logs.resolve("c-config.json");
    Files.writeString(otherNamespaces, "{\"namespaces\":{\"poll\":{\"signals\":false}}}");
    c = node("c", "edge,auth", hazelcast[2], common, "--config", otherNamespaces.toString());
    // A first, so the schema migration and the first member are in place; then the others together.
    a.start().awaitReady(START);
    b.start();
    c.start();
    b.awaitReady(START);
    c.awaitReady(START);
    assertTrue(b.sawNotReady() && c.sawNotReady(), "/ready answers 503 while a node joins the cluster");
    vertx = Vertx.vertx();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
    token = ClusterHarness.devToken(http, a.httpPort());
    history = new SessionHistory(http, token, WIRE, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopCluster() {
    Stream.of(a, b, c).filter(n -> n != null).forEach(NodeProcess::close);
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  @Order(1)
  void subscribersOnEveryNodeGetEveryEventPublishedThroughAnyNodeOnceAndInOrder() throws Exception {
    List<NodeProcess> nodes = List.of(a, b, c);
    List<FailoverSubscriber> subscribers = new ArrayList<>();
    for (NodeProcess node : nodes) {
      subscribers.addAll(startSubscribers("fan", 3, () -> node::httpPort));
    }
    until(() -> subscribers.stream().allMatch(s -> s.connectedPort() > 0), "every subscriber is live");
    Publishers publishers = new Publishers(vertx, WIRE, "fan", token, roundRobin(nodes)).start(3, 0);
    long head = stopAt(publishers, 300, "300 publishes");
    untilEveryoneIsAt(subscribers, head, "every subscriber reaches");
    assertOnceAndInOrderThenStop(subscribers,
        subscriber -> assertEquals(List.of(), subscriber.closeCodes(), "no subscriber was dropped: " + subscriber));
    assertEquals(head, publishers.acked.size(), "one event per acknowledged publish, numbered without gaps");
  }

  @Test
  @Order(2)
  void eachEdgeExportsCanaryLatencyForItselfAndTheNextMember() throws Exception {
    // Edges by node id: a watches b, b watches c, c watches a (docs/ARCHITECTURE.md, Delivery canary).
    Map<NodeProcess, String> watched = Map.of(a, "b", b, "c", c, "a");
    for (NodeProcess node : List.of(a, b, c)) {
      until(() -> {
        PrometheusText scrape = scrape(node);
        return scrape.value("switchboard_canary_seconds_count", "source", node.name()) > 0
            && scrape.value("switchboard_canary_seconds_count", "source", watched.get(node)) > 0;
      }, node.name() + "'s canary latency, its own and " + watched.get(node) + "'s");
    }
  }

  @Test
  @Order(3)
  void membersWithAnotherNamespaceConfigurationAreCountedNotRefused() throws Exception {
    until(() -> scrape(a).value("switchboard_namespaces_disagreeing") == 1
        && scrape(b).value("switchboard_namespaces_disagreeing") == 1
        && scrape(c).value("switchboard_namespaces_disagreeing") == 2, "a and b count c, c counts a and b");
  }

  @Test
  @Order(4)
  void anOperatorDisconnectsAUserAndRevokesATokenOnEveryNodeAtOnce() throws Exception {
    ControlScenario control = new ControlScenario(vertx, http, List.of(a, b, c), API_KEY);
    control.disconnectEverywhere();
    control.revokeEverywhere();
  }

  @Test
  @Order(5)
  void killingAnEdgeMovesItsClientsToAnotherNodeWithNoLossAndNoDuplicate() throws Exception {
    List<FailoverSubscriber> subscribers = startSubscribers("edge-kill", 20, () -> failover(c, a, b));
    until(() -> subscribers.stream().allMatch(s -> s.connectedPort() == c.httpPort()), "every subscriber is on C");
    Publishers publishers = new Publishers(vertx, WIRE, "edge-kill", token, roundRobin(List.of(a, b))).start(2, 5);
    until(() -> publishers.acked.size() >= 100, "events flow");
    c.kill9();
    long head = stopAt(publishers, 300, "events keep flowing");
    untilEveryoneIsAt(subscribers, head, "every subscriber resumes up to");
    assertOnceAndInOrderThenStop(subscribers, subscriber -> assertTrue(subscriber.connectedPort() == a.httpPort()
        || subscriber.connectedPort() == b.httpPort()));
    ResumeTimes resumes = ResumeTimes.of(subscribers);
    System.out.printf("cluster: %d clients of a killed edge resumed elsewhere: p50 %d ms, p95 %d ms, max %d ms%n",
        resumes.count(), resumes.p50Ms(), resumes.p95Ms(), resumes.maxMs());
    assertEquals(subscribers.size(), resumes.count(), "each subscriber resumed once");
  }

  @Test
  @Order(7)
  void killingOneOfTwoPersistenceInstancesLosesNoAcknowledgedEvent() throws Exception {
    List<FailoverSubscriber> subscribers = new ArrayList<>();
    for (FailoverSubscriber.Transport transport : FailoverSubscriber.Transport.values()) {
      for (NodeProcess node : List.of(a, c)) {
        subscribers.add(new FailoverSubscriber(vertx, WIRE, transport, "persistence-kill", token, node::httpPort)
            .start());
      }
    }
    until(() -> subscribers.stream().allMatch(s -> s.connectedPort() > 0), "subscribers on A and C");
    // C runs no persistence: its appends go to A's and B's in turn, and B dies with appends in flight.
    Publishers publishers = new Publishers(vertx, WIRE, "persistence-kill", token, c::httpPort).start(8, 0);
    until(() -> publishers.acked.size() >= 500, "appends on both instances");
    b.kill9();
    int ackedAtKill = publishers.acked.size();
    until(() -> publishers.acked.size() >= ackedAtKill + 500, "appends continue on the survivor");
    publishers.stop();

    StoredLog stored = new StoredLog(history.read(a.httpPort(), "persistence-kill"));
    assertEquals(0, stored.misnumbered(), "the log is gapless");
    assertEquals(0, stored.storedTwice(), "no number stored twice");
    assertEquals(List.of(), stored.acknowledgedMissing(publishers.acked),
        "each acknowledged event is stored under its eventId");
    long head = stored.size();
    untilEveryoneIsAt(subscribers, head, "subscribers reach");
    assertOnceAndInOrderThenStop(subscribers, subscriber -> { });
    System.out.printf("cluster: persistence kill: %d acknowledged, %d stored, %d publish attempts failed and were "
        + "retried%n", publishers.acked.size(), stored.size(), publishers.failures());
  }

  @Test
  @Order(6)
  void aNodeThatJoinsLateServesResumes() throws Exception {
    Publishers early = new Publishers(vertx, WIRE, "late", token, a::httpPort).start(1, 0);
    long before = stopAt(early, 50, "history before the late node");
    c.start().awaitReady(START);
    List<FailoverSubscriber> subscribers = new ArrayList<>();
    for (FailoverSubscriber.Transport transport : FailoverSubscriber.Transport.values()) {
      subscribers.add(new FailoverSubscriber(vertx, WIRE, transport, "late", token, c::httpPort).start());
      subscribers.add(new FailoverSubscriber(vertx, WIRE, transport, "late", token, c::httpPort)
          .startFrom(before / 2));
    }
    untilEveryoneIsAt(subscribers, before, "replay on the late node up to");
    Publishers later = new Publishers(vertx, WIRE, "late", token, roundRobin(List.of(a, b))).start(1, 0);
    long head = stopAt(later, 50, "live events through another node");
    untilEveryoneIsAt(subscribers, head, "live on the late node up to");
    assertOnceAndInOrderThenStop(subscribers,
        subscriber -> assertEquals(List.of(), subscriber.closeCodes(), subscriber.toString()));
  }

  @Test
  @Order(8)
  void sigtermDrainsClientsToAnotherNodeAndExitsWithinTheGrace() throws Exception {
    List<FailoverSubscriber> subscribers = startSubscribers("drain", 10, () -> failover(c, a));
    until(() -> subscribers.stream().allMatch(s -> s.connectedPort() == c.httpPort()), "every subscriber is on C");
    Publishers publishers = new Publishers(vertx, WIRE, "drain", token, a::httpPort).start(2, 5);
    until(() -> publishers.acked.size() >= 100, "events flow");
    Duration exit = c.terminate(Duration.ofSeconds(10));
    long head = stopAt(publishers, 200, "events keep flowing");
    untilEveryoneIsAt(subscribers, head, "every subscriber resumes up to");
    List<Integer> webSocketCloses = subscribers.stream()
        .filter(s -> s.transport() == FailoverSubscriber.Transport.WEBSOCKET).flatMap(s -> s.closeCodes().stream())
        .toList();
    assertOnceAndInOrderThenStop(subscribers, subscriber -> assertEquals(a.httpPort(), subscriber.connectedPort()));
    assertEquals(Collections.nCopies(10, 1012), webSocketCloses, "WebSockets close with 1012");
    String log = Files.readString(c.logFile());
    assertTrue(log.matches("(?s).*closed \\d+ WebSockets \\(1012\\), ended \\d+ SSE streams.*"),
        "the drain closed the WebSockets and ended the SSE streams");
    assertTrue(log.contains("drained and left"), "the node left the cluster");
    System.out.printf("cluster: SIGTERM drained C and it exited in %d ms%n", exit.toMillis());
  }

  /** {@code each} live subscribers to {@code sessionId} per transport, each choosing nodes with its own supplier. */
  private static List<FailoverSubscriber> startSubscribers(String sessionId, int each, Supplier<IntSupplier> ports) {
    List<FailoverSubscriber> subscribers = new ArrayList<>();
    for (FailoverSubscriber.Transport transport : FailoverSubscriber.Transport.values()) {
      for (int i = 0; i < each; i++) {
        subscribers.add(new FailoverSubscriber(vertx, WIRE, transport, sessionId, token, ports.get()).start());
      }
    }
    return subscribers;
  }

  /** The first node first, then the others in turn, skipping none: a dead one refuses and the client moves on. */
  /** {@code GET /metrics} of {@code node}, parsed. */
  private static PrometheusText scrape(NodeProcess node) {
    try {
      String body = http.get(node.httpPort(), "127.0.0.1", "/metrics").send()
          .await(10, TimeUnit.SECONDS).bodyAsString();
      return PrometheusText.parse(body);
    } catch (Exception e) {
      throw new IllegalStateException("GET /metrics of " + node.name() + " failed", e);
    }
  }

  private static IntSupplier failover(NodeProcess first, NodeProcess... others) {
    AtomicInteger calls = new AtomicInteger();
    return () -> {
      int call = calls.getAndIncrement();
      return call == 0 ? first.httpPort() : others[(call - 1) % others.length].httpPort();
    };
  }

  private static IntSupplier roundRobin(List<NodeProcess> nodes) {
    AtomicInteger calls = new AtomicInteger();
    return () -> nodes.get(Math.floorMod(calls.getAndIncrement(), nodes.size())).httpPort();
  }

  private static NodeProcess node(String name, String roles, int hazelcastPort, Map<String, String> common,
                                  String... args) throws IOException {
    Map<String, String> env = new HashMap<>(common);
    env.put("SB_ROLES", roles);
    env.put("SB_CLUSTER_PORT", Integer.toString(hazelcastPort));
    env.put("SB_NODE_ID", name);
    List<String> command = new ArrayList<>(NodeProcess.onThisClassPath("dev.switchboard.server.Main"));
    command.addAll(List.of(args));
    return new NodeProcess(name, freePort(), env, logs, command);
  }

  /** Every event once and in order: what each scenario asks of each subscriber. */
  private static void assertOnceAndInOrder(FailoverSubscriber subscriber) {
    assertEquals(0, subscriber.duplicates(), subscriber.toString());
    assertEquals(0, subscriber.gaps(), subscriber.toString());
  }

  /** Each subscriber got every event once and in order and passes {@code check}; then it stops. */
  private static void assertOnceAndInOrderThenStop(List<FailoverSubscriber> subscribers,
      Consumer<FailoverSubscriber> check) {
    for (FailoverSubscriber subscriber : subscribers) {
      assertOnceAndInOrder(subscriber);
      check.accept(subscriber);
      subscriber.stop();
    }
  }

  /** Waits until {@code publishers} have {@code count} publishes acknowledged, stops them, returns the last eventId. */
  private static long stopAt(Publishers publishers, int count, String what) throws InterruptedException {
    until(() -> publishers.acked.size() >= count, what);
    publishers.stop();
    return Collections.max(publishers.acked.values());
  }

  private static void untilEveryoneIsAt(List<FailoverSubscriber> subscribers, long eventId, String what)
      throws InterruptedException {
    until(() -> subscribers.stream().allMatch(s -> s.position() == eventId), what + " " + eventId);
  }
}
