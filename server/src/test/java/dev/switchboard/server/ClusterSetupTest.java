package dev.switchboard.server;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged cluster.xml with the SB_CLUSTER_* settings applied. */
class ClusterSetupTest {

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
    assertTrue(Integer.parseInt(config.getProperty(ClusterSetup.JOIN_WAIT)) >= 5,
        "DNS discovery only looks members up during the wait before joining");
  }

  @Test
  void refusesBadPortsAndMissingFiles() {
    assertThrows(IllegalArgumentException.class, () -> ClusterSetup.from(new JsonObject().put("SB_CLUSTER_PORT", "0")));
    assertThrows(IllegalArgumentException.class,
        () -> ClusterSetup.from(new JsonObject().put("SB_CLUSTER_CONFIG", "/no/such/cluster.xml")).hazelcastConfig());
  }
}
