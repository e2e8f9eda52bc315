package dev.switchboard.client;

import dev.switchboard.protocol.TcpProxy;
import dev.switchboard.protocol.TestPostgres;
import dev.switchboard.testsupport.NodeProcess;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.client.Recorder.oneTo;
import static dev.switchboard.client.Recorder.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three nodes in one Hazelcast cluster on one PostgreSQL, the subscribers behind a proxy standing for a load
 * balancer: the node they are on is killed ({@code kill -9}) mid-stream, the balancer sends them to another node,
 * and they lose and repeat nothing.
 */
class ClusterFailoverTest {

  private static final Duration START = Duration.ofSeconds(90);

  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<SwitchboardClient> clients = new ArrayList<>();
  private Vertx vertx;
  private TcpProxy balancer;

  @AfterEach
  void stop() {
    clients.forEach(SwitchboardClient::close);
    if (balancer != null) {
      balancer.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    nodes.forEach(NodeProcess::close);
  }

  @Test
  void killingTheNodeOfAClientMovesItToAnotherWithNothingLost() throws Exception {
    startCluster();
    NodeProcess a = nodes.get(0);
    NodeProcess c = nodes.get(2);
    vertx = Vertx.vertx();
    balancer = TcpProxy.start(vertx, "127.0.0.1", c.httpPort());
    String session = "failover";
    Recorder onWebSocket = new Recorder();
    Recorder onSse = new Recorder();
    client(balancer.port(), onWebSocket, Transport.WEBSOCKET).subscribe(session, "0").connect();
    client(balancer.port(), onSse, Transport.SSE).subscribe(session, "0").connect();
    onWebSocket.awaitConnected(Transport.WEBSOCKET);
    onSse.awaitConnected(Transport.SSE);

    SwitchboardClient publisher = client(a.httpPort(), new Recorder(), Transport.WEBSOCKET);
    AtomicInteger acked = new AtomicInteger();
    AtomicBoolean publishing = new AtomicBoolean(true);
    Thread publishes = new Thread(() -> {
      while (publishing.get()) {
        try {
          publisher.publish(session, "tick", "{\"n\":" + (acked.get() + 1) + "}").get(60, TimeUnit.SECONDS);
          acked.incrementAndGet();
          Thread.sleep(5);
        } catch (Exception e) {
          throw new AssertionError("a publish failed for good", e);
        }
      }
    }, "cluster-publisher");
    publishes.start();

    until(() -> onWebSocket.sequence(session).size() >= 50 && onSse.sequence(session).size() >= 50,
        "events flow through C");
    c.kill9();
    balancer.forwardTo(nodes.get(1).httpPort());
    until(() -> acked.get() >= 250, "events keep flowing");
    publishing.set(false);
    publishes.join(TimeUnit.SECONDS.toMillis(70));

    int total = acked.get();
    onWebSocket.awaitCount(session, total);
    onSse.awaitCount(session, total);
    assertEquals(oneTo(total), onWebSocket.sequence(session), "WebSocket: every event once and in order");
    assertEquals(oneTo(total), onSse.sequence(session), "SSE: every event once and in order");
  }

  private SwitchboardClient client(int port, Recorder recorder, Transport transport) {
    SwitchboardClient client = new SwitchboardClient(ClientOptions.builder(TestNode.url(port))
        .token(Tokens.hourLong("ada")).listener(recorder).transports(transport)
        .backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).build());
    clients.add(client);
    return client;
  }

  /** A: every role; B: edge, auth, persistence; C: edge, auth (as the server's own cluster test). */
  private void startCluster() throws Exception {
    Path logs = Files.createTempDirectory("sb-java-client-cluster");
    int[] hazelcast = {TestNode.freePort(), TestNode.freePort(), TestNode.freePort()};
    Map<String, String> common = new HashMap<>();
    common.put("SB_CLUSTER", "true");
    common.put("SB_CLUSTER_NAME", "java-client-" + UUID.randomUUID());
    common.put("SB_CLUSTER_MEMBERS", "127.0.0.1:" + hazelcast[0] + ",127.0.0.1:" + hazelcast[1] + ",127.0.0.1:"
        + hazelcast[2]);
    common.put("SB_PG_URL", TestPostgres.freshDatabase());
    common.put("SB_JWT_SECRET", TestNode.SECRET);
    common.put("SB_PUBLISH_RATE", "0");
    String jar = System.getProperty("switchboard.server.jar", "../../server/target/switchboard.jar");
    String[][] roles = {{"a", "edge,auth,presence,persistence"}, {"b", "edge,auth,persistence"}, {"c", "edge,auth"}};
    for (int i = 0; i < roles.length; i++) {
      Map<String, String> env = new HashMap<>(common);
      env.put("SB_ROLES", roles[i][1]);
      env.put("SB_CLUSTER_PORT", Integer.toString(hazelcast[i]));
      env.put("SB_NODE_ID", roles[i][0]);
      nodes.add(new NodeProcess(roles[i][0], TestNode.freePort(), env, logs, NodeProcess.fromJar(jar, "192m")));
    }
    // A first, so the schema migration and the first member are in place; then the others together.
    nodes.get(0).start().awaitReady(START);
    nodes.get(1).start();
    nodes.get(2).start();
    nodes.get(1).awaitReady(START);
    nodes.get(2).awaitReady(START);
  }
}
