package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.switchboard.server.KubernetesManifests.container;
import static dev.switchboard.server.KubernetesManifests.name;
import static dev.switchboard.server.KubernetesManifests.ports;
import static dev.switchboard.server.KubernetesManifests.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NetworkPolicy of {@code k8s/}: the Switchboard pods' HTTP port is open to anyone, their Hazelcast and event bus
 * ports (which trust whoever reaches them, README.md "Protecting the cluster's ports") to Switchboard's own pods only,
 * their internal port (the metrics) to pods of the cluster and no address outside it, and nothing else, with the
 * ports the ConfigMap gives the server.
 */
class KubernetesNetworkPolicyTest {

  private static KubernetesManifests k8s;
  private static Map<String, String> config;

  @BeforeAll
  static void load() throws IOException {
    k8s = KubernetesManifests.load();
    config = k8s.values("ConfigMap", "switchboard-config");
  }

  @Test
  void thePolicyCoversEverySwitchboardPodAndOnlyThem() {
    JsonNode spec = policy().path("spec");
    assertEquals(k8s.roleDeployments(), k8s.workloadsSelectedBy(strings(spec.path("podSelector").path("matchLabels"))),
        "the policy selects every role's pods and nothing else (PostgreSQL and Redis are not Switchboard's ports)");
    List<String> types = new ArrayList<>();
    spec.path("policyTypes").forEach(t -> types.add(t.asText()));
    assertTrue(types.contains("Ingress"), "the policy restricts ingress");
  }

  @Test
  void httpIsOpenToAnyoneTheClusterPortsToSwitchboardPodsOnlyAndInternalToPodsOnly() {
    JsonNode policy = policy();
    Map<String, Integer> open = Map.of("http", Integer.parseInt(config.get("SB_HTTP_PORT")));
    Map<String, Integer> cluster = Map.of("hazelcast", Integer.parseInt(config.get("SB_CLUSTER_PORT")),
        "eventbus", Integer.parseInt(config.get("SB_EVENTBUS_PORT")));
    for (JsonNode deployment : k8s.roleDeployments()) {
      Map<String, Integer> ports = ports(container(deployment));
      Map<Integer, List<JsonNode>> sources = sourcesByPort(policy, ports);
      assertEquals(new TreeSet<>(ports.values()), new TreeSet<>(sources.keySet()),
          name(deployment) + ": the policy admits traffic to every port of the pod, and to no other");
      open.forEach((port, number) -> {
        assertEquals(number, ports.get(port), name(deployment) + ": " + port);
        assertTrue(sources.get(number).contains(null), name(deployment) + ": " + port + " is open to anyone");
      });
      int internal = Integer.parseInt(config.get("SB_INTERNAL_PORT"));
      assertEquals(internal, ports.get("internal"), name(deployment) + ": internal");
      for (JsonNode source : sources.get(internal)) {
        assertNotNull(source, name(deployment) + ": internal (the metrics) is open to anyone");
        List<String> fields = new ArrayList<>();
        source.fieldNames().forEachRemaining(fields::add);
        assertTrue(Set.of("namespaceSelector", "podSelector").containsAll(fields), name(deployment)
            + ": internal admits " + source + " (pods of the cluster only: no ipBlock, which would admit addresses"
            + " outside it)");
      }
      cluster.forEach((port, number) -> {
        assertEquals(number, ports.get(port), name(deployment) + ": " + port);
        for (JsonNode source : sources.get(number)) {
          assertNotNull(source, name(deployment) + ": " + port + " is open to anyone");
          List<String> fields = new ArrayList<>();
          source.fieldNames().forEachRemaining(fields::add);
          assertEquals(Set.of("podSelector"), Set.copyOf(fields), name(deployment) + ": " + port + " admits "
              + source + " (no namespaceSelector or ipBlock: pods of this namespace only)");
          assertEquals(k8s.roleDeployments(), k8s.workloadsSelectedBy(strings(source.path("podSelector")
              .path("matchLabels"))), name(deployment) + ": " + port + " admits Switchboard's pods, only them");
        }
      });
    }
  }

  private static JsonNode policy() {
    List<JsonNode> policies = k8s.ofKind("NetworkPolicy");
    assertEquals(1, policies.size(), "k8s/ has one NetworkPolicy");
    return policies.get(0);
  }

  /**
   * For each port of a pod the policy covers, who may reach it: the {@code from} entries of every ingress rule that
   * lists the port (by name or number) or lists no port at all, with {@code null} for a rule without {@code from},
   * which admits anyone. A port that no rule admits is absent.
   */
  private static Map<Integer, List<JsonNode>> sourcesByPort(JsonNode policy, Map<String, Integer> containerPorts) {
    Map<Integer, List<JsonNode>> sources = new HashMap<>();
    for (JsonNode rule : policy.path("spec").path("ingress")) {
      List<Integer> admitted = new ArrayList<>();
      if (rule.path("ports").isEmpty()) {
        admitted.addAll(containerPorts.values());
      }
      for (JsonNode port : rule.path("ports")) {
        assertEquals("TCP", port.path("protocol").asText("TCP"), "a rule's protocol: " + rule);
        JsonNode number = port.path("port");
        admitted.add(number.isInt() ? Integer.valueOf(number.asInt()) : containerPorts.get(number.asText()));
      }
      for (Integer port : admitted) {
        assertNotNull(port, "a rule names a port the pods do not have: " + rule);
        List<JsonNode> from = sources.computeIfAbsent(port, p -> new ArrayList<>());
        if (rule.path("from").isEmpty()) {
          from.add(null);
        } else {
          rule.path("from").forEach(from::add);
        }
      }
    }
    return sources;
  }
}
