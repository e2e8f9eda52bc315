package dev.switchboard.server.cluster;

import dev.switchboard.protocol.TestPostgres;
import dev.switchboard.testsupport.NodeProcess;
import dev.switchboard.testsupport.SessionHistory;
import dev.switchboard.testsupport.WireObserver;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static dev.switchboard.server.cluster.ClusterHarness.freePort;
import static dev.switchboard.server.cluster.ClusterHarness.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three Switchboard processes in one Hazelcast cluster on PostgreSQL, with TLS and client certificates on the event
 * bus (SB_EVENTBUS_TLS_*; the files are in src/test/resources/eventbus-tls):
 * <ul>
 *   <li>A: every role, with a certificate of the cluster's CA (the only presence instance);</li>
 *   <li>B: edge, auth and persistence, with a certificate of the cluster's CA;</li>
 *   <li>R, the rogue: edge, auth and persistence, with a certificate of another CA, trusting both CAs. It has the
 *       cluster's name, members and JWT secret, so Hazelcast (whose member TLS is not open source) lets it join and
 *       its consumers are registered like anyone's; only the event bus can keep it out. Its event log is a database
 *       of its own: its clients' subscriptions are placed and its publishes stored without the event bus, so what
 *       its clients get from the cluster, and what the cluster's clients get from it, can only cross the event
 *       bus.</li>
 * </ul>
 * What the tests look at is what clients of each node see.
 */
class ClusterTlsTest {

  private static final String SECRET = "cluster-tls-test-secret-cluster-tls-test";
  private static final Duration START = Duration.ofSeconds(90);
  /** How long the rogue member's clients are watched for anything after the good members' clients got it all. */
  private static final Duration QUIET = Duration.ofSeconds(3);
  private static final WireObserver WIRE = SpecCheckedWire.INSTANCE;

  private static NodeProcess a;
  private static NodeProcess b;
  private static NodeProcess rogue;
  private static Vertx vertx;
  private static WebClient http;
  private static WebSocketClient webSockets;
  private static String token;
  private static SessionHistory history;

  @BeforeAll
  static void startCluster() throws Exception {
    Path logs = Files.createTempDirectory("switchboard-cluster-tls");
    int[] hazelcast = {freePort(), freePort(), freePort()};
    Map<String, String> common = new HashMap<>();
    common.put("SB_CLUSTER", "true");
    common.put("SB_CLUSTER_NAME", "tls-" + UUID.randomUUID());
    common.put("SB_CLUSTER_MEMBERS", "127.0.0.1:" + hazelcast[0] + ",127.0.0.1:" + hazelcast[1] + ",127.0.0.1:"
        + hazelcast[2]);
    common.put("SB_PG_URL", TestPostgres.freshDatabase());
    common.put("SB_JWT_SECRET", SECRET);
    common.put("SB_DEV_TOKENS", "true");
    common.put("SB_PUBLISH_RATE", "0");
    common.put("SB_DRAIN_GRACE", "5s");
    common.put("SB_HEARTBEAT_SEC", "30"); // subscribers in this JVM on a busy machine (TestNode says why)
    Path clusterCa = certificates("cluster-ca.pem");
    // The rogue trusts everyone: what keeps it out is that the good members do not trust it.
    Path bothCas = Files.writeString(logs.resolve("both-cas.pem"),
        Files.readString(clusterCa) + Files.readString(certificates("other-ca.pem")));
    a = node("a", "edge,auth,presence,persistence", hazelcast[0], common, "member", clusterCa, logs);
    b = node("b", "edge,auth,persistence", hazelcast[1], common, "member", clusterCa, logs);
    Map<String, String> ownLog = new HashMap<>(common);
    ownLog.put("SB_PG_URL", TestPostgres.freshDatabase());
    rogue = node("rogue", "edge,auth,persistence", hazelcast[2], ownLog, "rogue", bothCas, logs);
    a.start().awaitReady(START);
    b.start();
    rogue.start();
    b.awaitReady(START);
    rogue.awaitReady(START);
    until(() -> logged(a, "; 3 members"), "the rogue member is in A's Hazelcast cluster");
    vertx = Vertx.vertx();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
    webSockets = vertx.createWebSocketClient();
    token = ClusterHarness.devToken(http, a.httpPort());
    history = new SessionHistory(http, token, WIRE, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopCluster() {
    Stream.of(a, b, rogue).filter(n -> n != null).forEach(NodeProcess::close);
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void membersWithTheClustersCertificatesExchangeEventsAndSignals() throws Exception {
    Frames onA = Frames.subscribed(a, "tls-good");
    Frames onB = Frames.subscribed(b, "tls-good");
    until(() -> !onB.eventTypes("presence.state").isEmpty(), "B's subscriber gets the presence A keeps");
    assertEquals(201, publish(a, "tls-good", "through-a"));
    assertEquals(201, publish(b, "tls-good", "through-b"));
    onA.signal("tls-good", "from-a");
    onB.signal("tls-good", "from-b");
    for (Frames frames : List.of(onA, onB)) {
      until(() -> frames.eventTypes("event").equals(List.of("through-a", "through-b")),
          "each subscriber gets the events published through A and through B");
    }
    until(() -> onB.eventTypes("signal").equals(List.of("from-a")), "B's subscriber gets A's signal");
    until(() -> onA.eventTypes("signal").equals(List.of("from-b")), "A's subscriber gets B's signal");
  }

  @Test
  void aMemberWithAnotherCasCertificateReceivesNothing() throws Exception {
    Frames onB = Frames.subscribed(b, "tls-in");
    Frames onRogue = Frames.subscribed(rogue, "tls-in");
    Frames sender = Frames.subscribed(a, "tls-in");
    for (int i = 0; i < 3; i++) {
      assertEquals(201, publish(a, "tls-in", "event-" + i));
    }
    sender.signal("tls-in", "signal");
    until(() -> onB.eventTypes("event").size() == 3 && onB.eventTypes("signal").size() == 1,
        "B's subscriber gets every event and the signal");
    Thread.sleep(QUIET.toMillis());
    assertEquals(List.of(), onRogue.eventTypes("event"), "events reached the rogue member's subscriber");
    assertEquals(List.of(), onRogue.eventTypes("signal"), "a signal reached the rogue member's subscriber");
  }

  @Test
  void aMemberWithAnotherCasCertificateDeliversNothing() throws Exception {
    Frames onA = Frames.subscribed(a, "tls-out");
    Frames onB = Frames.subscribed(b, "tls-out");
    Frames fromRogue = Frames.subscribed(rogue, "tls-out");
    fromRogue.signal("tls-out", "rogue-signal");
    assertEquals(201, publish(rogue, "tls-out", "rogue-event"), "the rogue member stores in its own log");
    until(() -> fromRogue.eventTypes("event").size() == 1, "the rogue member's own subscriber gets its event");
    assertEquals(201, publish(b, "tls-out", "through-b"));
    until(() -> onA.eventTypes("event").size() == 1 && onB.eventTypes("event").size() == 1,
        "the subscribers get the event published through B");
    Thread.sleep(QUIET.toMillis());
    for (Frames frames : List.of(onA, onB)) {
      assertEquals(List.of("through-b"), frames.eventTypes("event"), "only B's event reached the subscribers");
      assertEquals(List.of(), frames.eventTypes("signal"), "the rogue member's signal reached a subscriber");
    }
    assertEquals(List.of("1"), history.read(a.httpPort(), "tls-out").stream().map(e -> e.getString("eventId"))
        .toList(), "the log holds B's event alone");
  }

  /** Publishes over REST through {@code node}; answers the status. */
  private static int publish(NodeProcess node, String sessionId, String eventType) throws TimeoutException {
    var request = http.post(node.httpPort(), "127.0.0.1", "/sessions/" + sessionId + "/events")
        .bearerTokenAuthentication(token).timeout(30_000);
    var response = request.sendJsonObject(new JsonObject().put("eventType", eventType).put("payload", new JsonObject()))
        .await(35, TimeUnit.SECONDS);
    WIRE.httpAnswer(request, response);
    return response.statusCode();
  }

  private static NodeProcess node(String name, String roles, int hazelcastPort, Map<String, String> common,
      String credentials, Path caFile, Path logs) throws IOException, URISyntaxException {
    Map<String, String> env = new HashMap<>(common);
    env.put("SB_ROLES", roles);
    env.put("SB_CLUSTER_PORT", Integer.toString(hazelcastPort));
    env.put("SB_NODE_ID", name);
    env.put("SB_EVENTBUS_TLS_CERT_FILE", certificates(credentials + ".pem").toString());
    env.put("SB_EVENTBUS_TLS_KEY_FILE", certificates(credentials + ".key").toString());
    env.put("SB_EVENTBUS_TLS_CA_FILE", caFile.toString());
    return new NodeProcess(name, freePort(), env, logs, NodeProcess.onThisClassPath("dev.switchboard.server.Main"));
  }

  private static Path certificates(String file) throws URISyntaxException {
    return Path.of(ClusterTlsTest.class.getResource("/eventbus-tls/" + file).toURI());
  }

  private static boolean logged(NodeProcess node, String regex) {
    try {
      return Files.readString(node.logFile()).lines().anyMatch(line -> line.matches(".*" + regex + ".*"));
    } catch (IOException e) {
      return false;
    }
  }

  /** A WebSocket on one node, keeping every frame it receives. */
  private static final class Frames {

    private final ClientWebSocket socket;
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();

    private Frames(ClientWebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(text -> {
        WIRE.webSocketFrame(text);
        received.add(new JsonObject(text));
      });
    }

    /** A socket subscribed to {@code sessionId}, once its subscription is placed ({@code replayed}). */
    static Frames subscribed(NodeProcess node, String sessionId) throws InterruptedException, TimeoutException {
      Frames frames = new Frames(webSockets.webSocket());
      frames.socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.httpPort())
              .setAllowOriginHeader(false).setURI("/events?sessionId=" + sessionId + "&access_token=" + token))
          .await(10, TimeUnit.SECONDS);
      until(() -> !frames.eventTypes("replayed").isEmpty(), node.name() + " places a subscription to " + sessionId);
      return frames;
    }

    void signal(String sessionId, String eventType) {
      socket.writeTextMessage(new JsonObject().put("type", "signal").put("sessionId", sessionId)
          .put("eventType", eventType).put("payload", new JsonObject()).encode());
    }

    /** The {@code eventType}s of the frames of {@code type} received so far (for frames without one, their type). */
    List<String> eventTypes(String type) {
      return received.stream().filter(f -> type.equals(f.getString("type")))
          .map(f -> f.getString("eventType", type)).toList();
    }
  }
}
