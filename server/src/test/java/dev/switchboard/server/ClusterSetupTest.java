package dev.switchboard.server;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The packaged cluster.xml with the SB_CLUSTER_* settings applied, and where a joined node listens. */
class ClusterSetupTest {

  /** Another address of this machine's loopback. */
  private static final String OTHER_LOCAL_ADDRESS = "127.0.0.2";

  @Test
  void localDefaultsAreTcpIpOnLoopback() {
    Config config = ClusterSetup.from(new JsonObject()).hazelcastConfig();
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertEquals("switchboard", config.getClusterName());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertEquals(5701, config.getNetworkConfig().getPort());
    assertTrue(config.getNetworkConfig().getInterfaces().getInterfaces().contains("127.0.0.1"));
    assertEquals("0", config.getProperty(ClusterSetup.JOIN_WAIT));
    assertTrue(config.getMultiMapConfigs().containsKey("__vertx.subs"), "the maps Vert.x needs are kept");
    assertEquals("false", config.getProperty(ClusterSetup.BIND_ANY), "Hazelcast binds the interface only");
  }

  @Test
  void settingsOverrideTheFile() {
    Config config = ClusterSetup.from(new JsonObject().put("SB_CLUSTER_NAME", "blue")
        .put("SB_CLUSTER_HOST", "10.0.0.5").put("SB_CLUSTER_PUBLIC_HOST", "203.0.113.7")
        .put("SB_CLUSTER_PORT", "15701").put("SB_CLUSTER_MEMBERS", "10.0.0.5:15701, 10.0.0.6:15701"))
        .hazelcastConfig();
    assertEquals("blue", config.getClusterName());
    assertEquals(15701, config.getNetworkConfig().getPort());
    assertEquals("203.0.113.7", config.getNetworkConfig().getPublicAddress());
    assertEquals(List.of("10.0.0.5"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals(List.of("10.0.0.5:15701", "10.0.0.6:15701"),
        config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
  }

  @Test
  void kubernetesDnsDiscoveryReplacesTcpIpAndWaitsForDnsBeforeJoining() {
    Config config = ClusterSetup.from(new JsonObject().put("SB_CLUSTER_HOST", "0.0.0.0")
        .put("SB_CLUSTER_DNS", "switchboard-cluster.switchboard.svc.cluster.local")).hazelcastConfig();
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("switchboard-cluster.switchboard.svc.cluster.local",
        join.getKubernetesConfig().getProperty("service-dns"));
    assertFalse(config.getNetworkConfig().getInterfaces().isEnabled(), "0.0.0.0 binds every interface");
    assertEquals("true", config.getProperty(ClusterSetup.BIND_ANY), "0.0.0.0 binds every interface");
    assertTrue(Integer.parseInt(config.getProperty(ClusterSetup.JOIN_WAIT)) >= 5,
        "DNS discovery only looks members up during the wait before joining");
  }

  @Test
  void refusesBadPortsAndMissingFiles() {
    assertThrows(IllegalArgumentException.class, () -> ClusterSetup.from(new JsonObject().put("SB_CLUSTER_PORT", "0")));
    assertThrows(IllegalArgumentException.class,
        () -> ClusterSetup.from(new JsonObject().put("SB_CLUSTER_CONFIG", "/no/such/cluster.xml")).hazelcastConfig());
  }

  @Test
  void hazelcastAndTheEventBusListenOnTheClusterHostOnly() throws Exception {
    // Linux routes all of 127.0.0.0/8 to the loopback: a socket bound to every interface answers on 127.0.0.2 too.
    try (ServerSocket everywhere = new ServerSocket(0)) {
      assumeTrue(answers(OTHER_LOCAL_ADDRESS, everywhere.getLocalPort()),
          "this machine does not reach its loopback as " + OTHER_LOCAL_ADDRESS);
    }
    int eventBusPort = freePort();
    int hazelcastPort = freePort();
    ClusterSetup setup = ClusterSetup.from(new JsonObject().put("SB_CLUSTER_NAME", "bind-" + UUID.randomUUID())
        .put("SB_CLUSTER_PORT", Integer.toString(hazelcastPort))
        .put("SB_CLUSTER_MEMBERS", "127.0.0.1:" + hazelcastPort)
        .put("SB_EVENTBUS_PORT", Integer.toString(eventBusPort)));
    ClusterSetup.Clustered node = setup.join().await(60, TimeUnit.SECONDS);
    try {
      int memberPort = node.manager().getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort();
      assertTrue(answers("127.0.0.1", memberPort), "Hazelcast listens on SB_CLUSTER_HOST");
      assertFalse(answers(OTHER_LOCAL_ADDRESS, memberPort), "Hazelcast listens on another address too");
      assertTrue(answers("127.0.0.1", eventBusPort), "the event bus listens on SB_CLUSTER_HOST");
      assertFalse(answers(OTHER_LOCAL_ADDRESS, eventBusPort), "the event bus listens on another address too");
    } finally {
      node.vertx().close().await(30, TimeUnit.SECONDS);
    }
  }

  private static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
