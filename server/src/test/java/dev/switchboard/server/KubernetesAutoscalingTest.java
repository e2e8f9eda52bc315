package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.switchboard.server.KubernetesManifests.read;
import static dev.switchboard.server.KubernetesManifests.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The overlay {@code k8s/autoscaling}: its HorizontalPodAutoscaler scales the base's edge Deployment on the custom
 * metric the prometheus-adapter rule of {@code ops/prometheus-adapter/values.yaml} serves, per pod, from series that
 * carry the namespace and pod labels the scrape job of {@code ops/prometheus/kubernetes.yml} gives them; it owns the
 * edges' replicas. (That the adapter's series is one a node exports is {@link OperationsMetricNamesTest}'s; schema
 * validation is the {@code k8s} module's.)
 */
class KubernetesAutoscalingTest {

  private static final YAMLMapper YAML = new YAMLMapper();

  private static KubernetesManifests base;
  private static JsonNode overlay;
  private static JsonNode autoscaler;

  @BeforeAll
  static void load() throws IOException {
    base = KubernetesManifests.load();
    overlay = YAML.readTree(read("k8s/autoscaling/kustomization.yaml"));
    List<JsonNode> autoscalers = new ArrayList<>();
    for (JsonNode resource : overlay.path("resources")) {
      if (resource.asText().endsWith(".yaml")) {
        JsonNode document = YAML.readTree(read("k8s/autoscaling/" + resource.asText()));
        if (document.path("kind").asText().equals("HorizontalPodAutoscaler")) {
          autoscalers.add(document);
        }
      }
    }
    assertEquals(1, autoscalers.size(), "k8s/autoscaling has one HorizontalPodAutoscaler");
    autoscaler = autoscalers.get(0);
  }

  @Test
  void theOverlayIsTheBasePlusTheAutoscalerWhichOwnsTheEdgesReplicas() {
    List<String> resources = new ArrayList<>();
    overlay.path("resources").forEach(r -> resources.add(r.asText()));
    assertTrue(resources.contains(".."), "the overlay applies the base k8s/: " + resources);
    JsonNode patch = overlay.path("patches").get(0);
    assertEquals(Map.of("kind", "Deployment", "name", "switchboard-edge"), strings(patch.path("target")));
    assertTrue(patch.path("patch").asText().replaceAll("\\s+", " ").contains("op: remove path: /spec/replicas"),
        "the overlay removes the edge Deployment's replicas, which every apply would otherwise reset");
  }

  @Test
  void theAutoscalerScalesTheEdgesOnTheAdaptersConnectionsPerPod() throws IOException {
    JsonNode spec = autoscaler.path("spec");
    assertEquals("autoscaling/v2", autoscaler.path("apiVersion").asText());
    assertEquals("switchboard", autoscaler.path("metadata").path("namespace").asText());
    JsonNode target = spec.path("scaleTargetRef");
    assertEquals("apps/v1", target.path("apiVersion").asText());
    assertEquals("Deployment", target.path("kind").asText());
    JsonNode edge = base.named("Deployment", target.path("name").asText());
    assertEquals("edge", KubernetesManifests.podLabels(edge).get("app.kubernetes.io/component"));
    JsonNode budget = base.named("PodDisruptionBudget", "switchboard-edge");
    assertTrue(spec.path("minReplicas").asInt() > budget.path("spec").path("maxUnavailable").asInt(),
        "at least one edge stays while the PodDisruptionBudget lets one go");
    assertTrue(spec.path("maxReplicas").asInt() > spec.path("minReplicas").asInt());

    assertEquals(1, spec.path("metrics").size());
    JsonNode metric = spec.path("metrics").get(0);
    assertEquals("Pods", metric.path("type").asText(), "an average over the edge's pods");
    assertEquals("AverageValue", metric.path("pods").path("target").path("type").asText());
    assertTrue(Integer.parseInt(metric.path("pods").path("target").path("averageValue").asText()) > 0);

    JsonNode values = YAML.readTree(read("ops/prometheus-adapter/values.yaml"));
    JsonNode rule = values.path("rules").path("custom").get(0);
    assertEquals(metric.path("pods").path("metric").path("name").asText(), rule.path("name").path("as").asText(),
        "the autoscaler asks for the metric the adapter's rule serves");
    JsonNode overrides = rule.path("resources").path("overrides");
    assertEquals("namespace", overrides.path("namespace").path("resource").asText());
    assertEquals("pod", overrides.path("pod").path("resource").asText());
    assertTrue(rule.path("metricsQuery").asText().matches("sum by \\(<<\\.GroupBy>>\\) \\(<<\\.Series>>"
        + "\\{<<\\.LabelMatchers>>}\\)"), "one value per pod, summed over the transports");

    JsonNode scrape = YAML.readTree(read("ops/prometheus/kubernetes.yml"));
    Set<String> labels = new TreeSet<>();
    scrape.path("scrape_configs").get(0).path("relabel_configs").forEach(r -> labels.add(
        r.path("target_label").asText()));
    assertTrue(labels.containsAll(Set.of("namespace", "pod")), "the scrape job labels series with " + labels);
  }

  @Test
  void theScrapeJobKeepsTheAnnotatedInternalPortOfSwitchboardsPods() throws IOException {
    JsonNode job = YAML.readTree(read("ops/prometheus/kubernetes.yml")).path("scrape_configs").get(0);
    assertEquals("switchboard", job.path("job_name").asText(), "the job alerts.yaml's up{job=...} names");
    Map<String, String> kept = new TreeMap<>();
    job.path("relabel_configs").forEach(r -> {
      if (r.path("action").asText().equals("keep")) {
        kept.put(r.path("source_labels").get(0).asText(), r.path("regex").asText());
      }
    });
    JsonNode edge = base.named("Deployment", "switchboard-edge");
    assertEquals(KubernetesManifests.podLabels(edge).get("app.kubernetes.io/name"),
        kept.get("__meta_kubernetes_pod_label_app_kubernetes_io_name"));
    assertEquals("true", kept.get("__meta_kubernetes_pod_annotation_prometheus_io_scrape"));
    assertTrue(KubernetesManifests.ports(KubernetesManifests.container(edge))
        .containsKey(kept.get("__meta_kubernetes_pod_container_port_name")), "the job keeps a port the pods name");
  }
}
