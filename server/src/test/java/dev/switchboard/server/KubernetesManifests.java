package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The manifests of {@code k8s/} as {@code kubectl apply -k k8s/} reads them: the files {@code kustomization.yaml}
 * lists, one node per YAML document, with the lookups the consistency tests need.
 */
final class KubernetesManifests {

  /** The repository root: the tests run in the server module's directory. */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static final ObjectMapper YAML = new YAMLMapper();

  final List<JsonNode> documents;

  private KubernetesManifests(List<JsonNode> documents) {
    this.documents = documents;
  }

  static KubernetesManifests load() throws IOException {
    Path dir = ROOT.resolve("k8s");
    List<JsonNode> documents = new ArrayList<>();
    for (JsonNode resource : kustomization().path("resources")) {
      try (var parser = new YAMLFactory().createParser(dir.resolve(resource.asText()).toFile())) {
        for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
          if (document != null && !document.isEmpty()) {
            documents.add(document);
          }
        }
      }
    }
    return new KubernetesManifests(documents);
  }

  static JsonNode kustomization() throws IOException {
    return YAML.readTree(ROOT.resolve("k8s/kustomization.yaml").toFile());
  }

  List<JsonNode> ofKind(String kind) {
    return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  JsonNode named(String kind, String name) {
    return ofKind(kind).stream().filter(d -> d.path("metadata").path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("k8s/ has no " + kind + " " + name));
  }

  /** The Deployments that run Switchboard: their pods carry {@code app.kubernetes.io/name: switchboard}. */
  List<JsonNode> roleDeployments() {
    return ofKind("Deployment").stream()
        .filter(d -> "switchboard".equals(podLabels(d).get("app.kubernetes.io/name"))).toList();
  }

  /** The Deployments and StatefulSets whose pods carry every label of {@code selector}. */
  List<JsonNode> workloadsSelectedBy(Map<String, String> selector) {
    List<JsonNode> workloads = new ArrayList<>(ofKind("Deployment"));
    workloads.addAll(ofKind("StatefulSet"));
    return workloads.stream().filter(w -> selects(selector, podLabels(w))).toList();
  }

  /** A ConfigMap's data, or a Secret's stringData and (decoded) data. */
  Map<String, String> values(String kind, String name) {
    JsonNode document = named(kind, name);
    Map<String, String> values = new LinkedHashMap<>();
    document.path("stringData").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
    document.path("data").fields().forEachRemaining(e -> values.put(e.getKey(), kind.equals("Secret")
        ? new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)
        : e.getValue().asText()));
    return values;
  }

  /** Every environment variable name a container gets: the keys of its envFrom sources and its env entries. */
  Set<String> environmentNames(JsonNode container) {
    Set<String> names = new LinkedHashSet<>(environment(container, Map.of()).keySet());
    container.path("env").forEach(e -> names.add(e.path("name").asText()));
    return names;
  }

  /**
   * The environment a container starts with: its envFrom ConfigMaps and Secrets, then its env entries (which win);
   * an entry taken from a pod field gets {@code fields.get(fieldPath)}, and is left out when that is absent.
   */
  Map<String, String> environment(JsonNode container, Map<String, String> fields) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode source : container.path("envFrom")) {
      if (source.has("configMapRef")) {
        env.putAll(values("ConfigMap", source.path("configMapRef").path("name").asText()));
      } else if (source.has("secretRef")) {
        env.putAll(values("Secret", source.path("secretRef").path("name").asText()));
      }
    }
    for (JsonNode entry : container.path("env")) {
      String name = entry.path("name").asText();
      if (entry.has("value")) {
        env.put(name, entry.path("value").asText());
      } else if (fields.containsKey(entry.path("valueFrom").path("fieldRef").path("fieldPath").asText())) {
        env.put(name, fields.get(entry.path("valueFrom").path("fieldRef").path("fieldPath").asText()));
      }
    }
    return env;
  }

  static JsonNode podSpec(JsonNode workload) {
    return workload.path("spec").path("template").path("spec");
  }

  /** The workload's only container (every workload of k8s/ has one). */
  static JsonNode container(JsonNode workload) {
    JsonNode containers = podSpec(workload).path("containers");
    if (containers.size() != 1) {
      throw new AssertionError(name(workload) + " has " + containers.size() + " containers, expected 1");
    }
    return containers.get(0);
  }

  static Map<String, String> podLabels(JsonNode workload) {
    return strings(workload.path("spec").path("template").path("metadata").path("labels"));
  }

  /** containerPort by port name. */
  static Map<String, Integer> ports(JsonNode container) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    return ports;
  }

  static Map<String, String> strings(JsonNode object) {
    Map<String, String> map = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  /** True when every label of the selector is on the pod. */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
  }

  static String name(JsonNode document) {
    return document.path("kind").asText() + " " + document.path("metadata").path("name").asText();
  }

  static String read(String relativePath) throws IOException {
    return Files.readString(ROOT.resolve(relativePath));
  }
}
