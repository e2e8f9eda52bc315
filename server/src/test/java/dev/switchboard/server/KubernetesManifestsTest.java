package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.KubernetesConfig;
import dev.switchboard.auth.AuthConfig;
import dev.switchboard.persistence.PersistenceConfig;
import dev.switchboard.protocol.ConfigReader;
import dev.switchboard.testsupport.PrometheusText;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.switchboard.server.KubernetesManifests.container;
import static dev.switchboard.server.KubernetesManifests.name;
import static dev.switchboard.server.KubernetesManifests.podLabels;
import static dev.switchboard.server.KubernetesManifests.podSpec;
import static dev.switchboard.server.KubernetesManifests.ports;
import static dev.switchboard.server.KubernetesManifests.read;
import static dev.switchboard.server.KubernetesManifests.selects;
import static dev.switchboard.server.KubernetesManifests.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code k8s/} and the {@code Dockerfile} agree with what the server reads and serves: every setting they set is one
 * the server reads and README.md's configuration table documents, the ports and probe paths are the server's,
 * RoleClient find their pods, the cluster's DNS discovery finds the headless Service, every role Deployment runs its
 * role, a drain ends before Kubernetes kills the pod, Prometheus scrapes the internal port, which serves the node's
 * metrics and which no Service exposes, and the image runs the jar the build makes. (Schema validation
 * of every document is the {@code k8s} module's.)
 */
class KubernetesManifestsTest {

  /** The modules whose code runs in the server jar, where the settings are read. */
  private static final List<String> SERVER_MODULES = List.of("protocol", "auth-verticle", "presence-verticle",
      "persistence-verticle", "realtime-verticle", "server");
  private static final Pattern SETTING_LITERAL = Pattern.compile("\"(SB_[A-Z0-9_]+)\"");
  private static final String CONFIG = "switchboard-config";
  private static final String NAMESPACE = "switchboard";
  /** Values for the pod fields the Deployments take settings from (the downward API). */
  private static final Map<String, String> POD_FIELDS = Map.of("status.podIP", "10.1.2.3",
      "metadata.name", "switchboard-edge-5d8f7c9b6-abcde");

  private static KubernetesManifests k8s;
  private static Map<String, String> config;

  @BeforeAll
  static void load() throws IOException {
    k8s = KubernetesManifests.load();
    config = k8s.values("ConfigMap", CONFIG);
  }

  @Test
  void everySettingTheManifestsSetIsReadByTheServerAndDocumented() throws IOException {
    Set<String> read = settingsTheServerReads();
    Set<String> documented = settingsTheReadmeDocuments();
    Set<String> unread = new TreeSet<>();
    Set<String> undocumented = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    for (JsonNode deployment : k8s.roleDeployments()) {
      names.addAll(k8s.environmentNames(container(deployment)));
    }
    for (String name : names) {
      if (!read.contains(name)) {
        unread.add(name);
      }
      if (!documented.contains(name)) {
        undocumented.add(name);
      }
    }
    assertTrue(names.size() > 10, "only " + names);
    assertEquals(Set.of(), unread, "set in k8s/ but read nowhere in the server's src/main/java");
    assertEquals(Set.of(), undocumented, "set in k8s/ but not in README.md's configuration table");
  }

  @Test
  void eachRoleDeploymentRunsExactlyItsRoleAndTogetherThemAll() {
    Set<Role> covered = new TreeSet<>();
    for (JsonNode deployment : k8s.roleDeployments()) {
      String component = podLabels(deployment).get("app.kubernetes.io/component");
      Map<String, String> env = k8s.environment(container(deployment), POD_FIELDS);
      assertEquals(component, env.get("SB_ROLES"), name(deployment) + ": SB_ROLES");
      assertEquals("switchboard-" + component, deployment.path("metadata").path("name").asText());
      Set<Role> roles = Role.parse(env.get("SB_ROLES"));
      assertEquals(1, roles.size(), name(deployment) + " runs " + roles);
      covered.addAll(roles);
      assertEquals(POD_FIELDS.get("status.podIP"), env.get("SB_CLUSTER_HOST"),
          name(deployment) + ": Hazelcast and the event bus bind the pod's IP");
      assertTrue(selects(strings(deployment.path("spec").path("selector").path("matchLabels")),
          podLabels(deployment)), name(deployment) + ": its selector matches its pods");
    }
    assertEquals(Set.of(Role.values()), covered);
    assertFalse(config.containsKey("SB_ROLES"), "SB_ROLES belongs to each Deployment, not the shared ConfigMap");
  }

  @Test
  void portsAndProbesAreTheServers() {
    for (JsonNode deployment : k8s.roleDeployments()) {
      JsonNode container = container(deployment);
      Map<String, Integer> ports = ports(container);
      assertEquals(Integer.parseInt(config.get("SB_HTTP_PORT")), ports.get("http"), name(deployment) + ": http");
      assertEquals(Integer.parseInt(config.get("SB_CLUSTER_PORT")), ports.get("hazelcast"),
          name(deployment) + ": hazelcast");
      assertEquals(Integer.parseInt(config.get("SB_EVENTBUS_PORT")), ports.get("eventbus"),
          name(deployment) + ": eventbus");
      assertEquals(Integer.parseInt(config.get("SB_INTERNAL_PORT")), ports.get("internal"),
          name(deployment) + ": internal");
      for (Map.Entry<String, String> probe : Map.of("readinessProbe", "/ready", "livenessProbe", "/health",
          "startupProbe", "/health").entrySet()) {
        JsonNode httpGet = container.path(probe.getKey()).path("httpGet");
        assertEquals(probe.getValue(), httpGet.path("path").asText(), name(deployment) + " " + probe.getKey());
        assertEquals("http", httpGet.path("port").asText(), name(deployment) + " " + probe.getKey());
      }
    }
  }

  @Test
  void theServerAnswersTheProbesOfEveryRoleDeployment() {
    for (JsonNode deployment : k8s.roleDeployments()) {
      JsonNode container = container(deployment);
      String roles = k8s.environment(container, POD_FIELDS).get("SB_ROLES");
      // In the cluster an edge's /ready asks a persistence pod; in one process it needs its own.
      try (TestNode node = TestNode.start(Map.of("SB_ROLES",
          roles.equals("edge") ? "edge,persistence" : roles))) {
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
          String path = container.path(probe).path("httpGet").path("path").asText();
          assertEquals(200, node.get(path, null).statusCode(), name(deployment) + " " + probe + " " + path);
        }
      }
    }
  }

  @Test
  void prometheusScrapesTheInternalPortOfEveryRoleWhereTheServerServesMetrics() {
    int internal = Integer.parseInt(config.get("SB_INTERNAL_PORT"));
    for (JsonNode deployment : k8s.roleDeployments()) {
      Map<String, String> annotations = strings(deployment.path("spec").path("template").path("metadata")
          .path("annotations"));
      assertEquals("true", annotations.get("prometheus.io/scrape"), name(deployment));
      assertEquals(String.valueOf(internal), annotations.get("prometheus.io/port"),
          name(deployment) + ": prometheus.io/port is SB_INTERNAL_PORT");
      String path = annotations.get("prometheus.io/path");
      String roles = k8s.environment(container(deployment), POD_FIELDS).get("SB_ROLES");
      try (TestNode node = TestNode.start(Map.of("SB_ROLES", roles.equals("edge") ? "edge,persistence" : roles,
          "SB_INTERNAL_PORT", "0"))) {
        HttpResponse<Buffer> scrape = TestNode.send(node.http.get(node.node.internalPort(), "127.0.0.1", path),
            null);
        assertEquals(200, scrape.statusCode(), name(deployment) + ": " + path + " on the internal port");
        assertEquals(1, PrometheusText.parse(scrape.bodyAsString()).value("switchboard_cluster_members"),
            name(deployment) + ": " + path + " is the node's metrics");
        assertEquals(404, node.get(path, null).statusCode(),
            name(deployment) + ": with SB_INTERNAL_PORT set, the HTTP port (the Service's) answers no metrics");
      }
    }
  }

  @Test
  void noServiceExposesTheInternalPort() {
    int internal = Integer.parseInt(config.get("SB_INTERNAL_PORT"));
    for (JsonNode service : k8s.ofKind("Service")) {
      for (JsonNode port : service.path("spec").path("ports")) {
        // Without a targetPort, a Service port targets the pod port of the same number.
        JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
        assertFalse(target.asText().equals("internal") || target.asInt() == internal,
            name(service) + " exposes the internal port: " + port);
      }
    }
  }

  @Test
  void servicesSelectTheirPodsAndTargetNamedPorts() {
    List<JsonNode> workloads = new ArrayList<>(k8s.ofKind("Deployment"));
    workloads.addAll(k8s.ofKind("StatefulSet"));
    for (JsonNode service : k8s.ofKind("Service")) {
      Map<String, String> selector = strings(service.path("spec").path("selector"));
      List<JsonNode> selected = workloads.stream().filter(w -> selects(selector, podLabels(w))).toList();
      assertFalse(selected.isEmpty(), name(service) + " selects no pods");
      for (JsonNode port : service.path("spec").path("ports")) {
        for (JsonNode workload : selected) {
          assertTrue(ports(container(workload)).containsKey(port.path("targetPort").asText()),
              name(service) + " targets port '" + port.path("targetPort").asText() + "', which "
                  + name(workload) + " does not name");
        }
      }
    }
    JsonNode edge = k8s.named("Service", "switchboard-edge");
    assertEquals(List.of(k8s.named("Deployment", "switchboard-edge")), workloads.stream()
        .filter(w -> selects(strings(edge.path("spec").path("selector")), podLabels(w))).toList());
    assertEquals(80, edge.path("spec").path("ports").get(0).path("port").asInt());
    assertEquals("http", edge.path("spec").path("ports").get(0).path("targetPort").asText());
    for (JsonNode budget : k8s.ofKind("PodDisruptionBudget")) {
      Map<String, String> selector = strings(budget.path("spec").path("selector").path("matchLabels"));
      assertEquals(1, k8s.roleDeployments().stream().filter(d -> selects(selector, podLabels(d))).count(),
          name(budget) + " covers one role");
    }
    assertEquals(k8s.roleDeployments().size(), k8s.ofKind("PodDisruptionBudget").size(), "a PDB per role");
  }

  @Test
  void clusterDiscoveryFindsEveryRoleThroughTheHeadlessService(@TempDir Path dir) throws IOException {
    JsonNode headless = k8s.ofKind("Service").stream()
        .filter(s -> s.path("spec").path("clusterIP").asText().equals("None")
            && selects(strings(s.path("spec").path("selector")), podLabels(k8s.roleDeployments().get(0))))
        .findFirst().orElseThrow(() -> new AssertionError("no headless Service selects the Switchboard pods"));
    String dns = headless.path("metadata").path("name").asText() + "."
        + headless.path("metadata").path("namespace").asText() + ".svc.cluster.local";
    assertEquals(dns, config.get("SB_CLUSTER_DNS"), "SB_CLUSTER_DNS names the headless Service");
    assertTrue(headless.path("spec").path("publishNotReadyAddresses").asBoolean(),
        "a pod is ready only after joining, so discovery must see pods that are not ready yet");
    assertEquals(Integer.parseInt(config.get("SB_CLUSTER_PORT")),
        headless.path("spec").path("ports").get(0).path("port").asInt(), "the Hazelcast port");
    for (JsonNode deployment : k8s.roleDeployments()) {
      assertTrue(selects(strings(headless.path("spec").path("selector")), podLabels(deployment)), name(deployment));
    }
    for (JsonNode document : k8s.documents) {
      if (!document.path("kind").asText().equals("Namespace")) {
        assertEquals(NAMESPACE, document.path("metadata").path("namespace").asText(), name(document));
      }
    }

    Config hazelcast = hazelcastConfigOfAPod(dir);
    KubernetesConfig kubernetes = hazelcast.getNetworkConfig().getJoin().getKubernetesConfig();
    assertTrue(kubernetes.isEnabled());
    assertEquals(dns, kubernetes.getProperty("service-dns"));
    assertFalse(hazelcast.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
    assertEquals(Integer.parseInt(config.get("SB_CLUSTER_PORT")), hazelcast.getNetworkConfig().getPort());
    assertEquals(List.of(POD_FIELDS.get("status.podIP")),
        List.copyOf(hazelcast.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals("false", hazelcast.getProperty(ClusterSetup.BIND_ANY), "Hazelcast listens on the pod's IP only");
    // DNS discovery asks for members only during this wait: with 0 every pod would start a cluster of its own.
    assertTrue(Integer.parseInt(hazelcast.getProperty("hazelcast.wait.seconds.before.join")) >= 1,
        "hazelcast.wait.seconds.before.join must be at least 1 with DNS discovery");

    // Apart from that wait, the pods' file keeps what the jar's cluster.xml sets (Vert.x's maps among them); the
    // bind property is the node's, from SB_CLUSTER_HOST.
    Config packaged = new FileSystemXmlConfig(KubernetesManifests.ROOT.resolve("cluster.xml").toFile());
    Map<Object, Object> expected = new HashMap<>(packaged.getProperties());
    Map<Object, Object> actual = new HashMap<>(hazelcast.getProperties());
    for (String property : List.of("hazelcast.wait.seconds.before.join", ClusterSetup.BIND_ANY)) {
      expected.remove(property);
      actual.remove(property);
    }
    assertEquals(expected, actual, "the properties of k8s/hazelcast.yaml and cluster.xml");
    assertEquals(packaged.getClusterName(), hazelcast.getClusterName());
    assertEquals(packaged.getMapConfigs().keySet(), hazelcast.getMapConfigs().keySet());
    assertEquals(packaged.getMultiMapConfigs().keySet(), hazelcast.getMultiMapConfigs().keySet());
    assertTrue(hazelcast.getMultiMapConfigs().containsKey("__vertx.subs"));
  }

  @Test
  void theDrainFinishesBeforeKubernetesKillsThePodAndRollsLoseNoCapacity() {
    Duration drain = new ConfigReader(new JsonObject(new HashMap<>(config)))
        .duration("SB_DRAIN_GRACE", NodeSettings.DEFAULT_DRAIN_GRACE);
    for (JsonNode deployment : k8s.roleDeployments()) {
      long preStop = 0;
      JsonNode command = container(deployment).path("lifecycle").path("preStop").path("exec").path("command");
      if (command.size() == 2 && command.get(0).asText().equals("sleep")) {
        preStop = Long.parseLong(command.get(1).asText());
      }
      long grace = podSpec(deployment).path("terminationGracePeriodSeconds").asLong();
      assertTrue(grace > preStop + drain.toSeconds(), name(deployment) + ": terminationGracePeriodSeconds " + grace
          + " must exceed the preStop pause " + preStop + " s plus SB_DRAIN_GRACE " + drain.toSeconds() + " s");
      JsonNode rolling = deployment.path("spec").path("strategy").path("rollingUpdate");
      assertEquals(0, rolling.path("maxUnavailable").asInt(), name(deployment));
      assertEquals(1, rolling.path("maxSurge").asInt(), name(deployment));
    }
  }

  @Test
  void thePodSettingsAreAcceptedByTheServerOnceTheSecretIsSet(@TempDir Path dir) throws IOException {
    JsonNode edge = container(k8s.named("Deployment", "switchboard-edge"));
    Map<String, String> env = new LinkedHashMap<>(k8s.environment(edge, POD_FIELDS));
    // The placeholder secret is refused, so that nobody runs with it.
    IllegalArgumentException placeholder = assertThrows(IllegalArgumentException.class,
        () -> AuthConfig.from(new JsonObject(new HashMap<>(env))));
    assertTrue(placeholder.getMessage().contains("SB_JWT_SECRET"), placeholder.getMessage());

    env.put("SB_JWT_SECRET", TestTokens.SECRET);
    NodeSettings settings = NodeSettings.resolve(new JsonObject(), env);
    assertTrue(settings.cluster());
    assertFalse(settings.devMode());
    assertNotNull(PersistenceConfig.from(settings.config()).postgres(), "the event log is PostgreSQL");
    AuthConfig.from(settings.config());
    assertNotNull(hazelcastConfigOfAPod(dir));
  }

  @Test
  void theDatabaseUrlsReachTheBundledPostgresqlAndRedis() {
    Map<String, String> secrets = k8s.values("Secret", "switchboard-secrets");
    URI pg = URI.create(secrets.get("SB_PG_URL"));
    Map<String, String> postgres = k8s.values("Secret", "switchboard-postgres");
    assertEquals(postgres.get("POSTGRES_USER") + ":" + postgres.get("POSTGRES_PASSWORD"), pg.getUserInfo());
    assertEquals("/" + postgres.get("POSTGRES_DB"), pg.getPath());
    assertServiceAt(pg, "switchboard-postgres");

    URI redis = URI.create(secrets.get("SB_REDIS_URL"));
    assertEquals(":" + k8s.values("Secret", "switchboard-redis").get("REDIS_PASSWORD"), redis.getUserInfo());
    assertServiceAt(redis, "switchboard-redis");
  }

  @Test
  void theImageRunsTheJarTheBuildMakesAndExposesTheServersPorts() throws IOException {
    List<String> dockerfile = Dockerfiles.instructions(read("Dockerfile"));
    Matcher shade = Pattern.compile("<outputFile>\\$\\{project\\.build\\.directory}/([^<]+)</outputFile>")
        .matcher(read("server/pom.xml"));
    assertTrue(shade.find(), "server/pom.xml names the shaded jar");
    String buildDir = Dockerfiles.argument(dockerfile, "WORKDIR", 0);
    assertTrue(dockerfile.stream().anyMatch(i -> i.startsWith("RUN ")
        && i.contains("mvn -B -DskipTests package -pl server -am")), "the build stage builds the server module");
    // The server module's build bundles the shared-document example's npm packages: it needs Node.js and npm.
    assertTrue(dockerfile.stream().anyMatch(i -> i.startsWith("RUN ") && i.contains(" nodejs npm ")),
        "the build stage installs Node.js and npm");

    String[] copy = dockerfile.stream().filter(i -> i.startsWith("COPY --from=build ")).findFirst()
        .orElseThrow(() -> new AssertionError("the Dockerfile copies nothing from the build stage")).split("\\s+");
    assertEquals(buildDir + "/server/target/" + shade.group(1), copy[2], "the jar the shade plugin writes");
    List<String> entrypoint = new ArrayList<>();
    new ObjectMapper().readTree(Dockerfiles.argument(dockerfile, "ENTRYPOINT", 0))
        .forEach(a -> entrypoint.add(a.asText()));
    assertEquals(copy[3], entrypoint.get(entrypoint.indexOf("-jar") + 1), "ENTRYPOINT runs the copied jar");
    // The class data archive: written by a training run of that jar with the same module flags, mapped by every start.
    String training = dockerfile.stream().filter(i -> i.startsWith("RUN ") && i.contains("-XX:ArchiveClassesAtExit="))
        .findFirst().orElseThrow(() -> new AssertionError("no training run writes the class data archive"));
    String archive = entrypoint.stream().filter(a -> a.startsWith("-XX:SharedArchiveFile=")).findFirst()
        .orElseThrow(() -> new AssertionError("the ENTRYPOINT maps no class data archive")).split("=", 2)[1];
    String trainingRun = "-XX:ArchiveClassesAtExit=" + archive + " -jar " + copy[3] + " " + Main.EXIT_WHEN_READY;
    assertTrue(training.contains(trainingRun), "the training run writes " + archive + " from " + copy[3]);
    entrypoint.stream().filter(a -> a.contains("=ALL-UNNAMED") || a.equals("java.se"))
        .forEach(flag -> assertTrue(training.contains(flag), "the training run has the ENTRYPOINT's " + flag));

    List<String> exposed = List.of(Dockerfiles.argument(dockerfile, "EXPOSE", 0).split("\\s+"));
    for (String port : List.of("SB_HTTP_PORT", "SB_CLUSTER_PORT", "SB_EVENTBUS_PORT")) {
      assertTrue(exposed.contains(config.get(port)), "EXPOSE " + exposed + " lacks " + port + "=" + config.get(port));
    }
    String user = Dockerfiles.argument(dockerfile, "USER", 0).split(":")[0];
    Set<String> read = settingsTheServerReads();
    Matcher env = Pattern.compile("(SB_[A-Z0-9_]+)=").matcher(String.join("\n", dockerfile.stream()
        .filter(i -> i.startsWith("ENV ")).toList()));
    while (env.find()) {
      assertTrue(read.contains(env.group(1)), "the Dockerfile sets " + env.group(1) + ", which the server never reads");
    }

    JsonNode kustomizeImage = KubernetesManifests.kustomization().path("images").get(0);
    for (JsonNode deployment : k8s.roleDeployments()) {
      assertEquals(user, podSpec(deployment).path("securityContext").path("runAsUser").asText(),
          name(deployment) + " runs as the image's user");
      assertEquals(kustomizeImage.path("name").asText(), container(deployment).path("image").asText().split(":")[0],
          name(deployment) + ": the image kustomization.yaml rewrites");
    }

    // What the build stage needs must reach the build context.
    List<PathMatcher> ignored = read(".dockerignore").lines().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .map(l -> FileSystems.getDefault().getPathMatcher("glob:" + l)).toList();
    for (String needed : List.of("pom.xml", "server/pom.xml", "k8s/pom.xml", "ops/pom.xml", "bench/pom.xml",
        "clients/js/pom.xml", "clients/js/src/index.js", "cluster.xml",
        "server/src/main/java/dev/switchboard/server/Main.java")) {
      assertTrue(Files.exists(KubernetesManifests.ROOT.resolve(needed)), needed);
      for (Path prefix = Path.of(needed); prefix != null; prefix = prefix.getParent()) {
        Path candidate = prefix;
        assertFalse(ignored.stream().anyMatch(m -> m.matches(candidate)), ".dockerignore leaves out " + needed);
      }
    }
  }

  /** The Hazelcast configuration a role pod builds: its settings over the file of the switchboard-hazelcast map. */
  private static Config hazelcastConfigOfAPod(Path dir) throws IOException {
    JsonNode deployment = k8s.roleDeployments().get(0);
    Map<String, String> env = new LinkedHashMap<>(k8s.environment(container(deployment), POD_FIELDS));
    Path mounted = Path.of(env.get("SB_CLUSTER_CONFIG"));
    JsonNode mount = null;
    for (JsonNode m : container(deployment).path("volumeMounts")) {
      if (mounted.getParent().equals(Path.of(m.path("mountPath").asText()))) {
        mount = m;
      }
    }
    assertNotNull(mount, name(deployment) + " mounts nothing at " + mounted.getParent());
    String volume = mount.path("name").asText();
    JsonNode source = null;
    for (JsonNode v : podSpec(deployment).path("volumes")) {
      if (v.path("name").asText().equals(volume)) {
        source = v.path("configMap");
      }
    }
    assertNotNull(source, name(deployment) + ": volume " + volume + " is no ConfigMap");
    String xml = k8s.values("ConfigMap", source.path("name").asText()).get(mounted.getFileName().toString());
    assertNotNull(xml, source.path("name").asText() + " has no key " + mounted.getFileName());
    Path file = Files.writeString(dir.resolve("cluster.xml"), xml);
    env.put("SB_CLUSTER_CONFIG", file.toString());
    return ClusterSetup.from(new JsonObject(new HashMap<>(env))).hazelcastConfig();
  }

  private static void assertServiceAt(URI url, String serviceName) {
    JsonNode service = k8s.named("Service", serviceName);
    assertEquals(serviceName, url.getHost(), url.getScheme() + " URL host");
    assertEquals(service.path("spec").path("ports").get(0).path("port").asInt(), url.getPort(),
        url.getScheme() + " URL port");
  }

  /** Every {@code "SB_..."} string literal in the main code of the server's modules. */
  private static Set<String> settingsTheServerReads() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String module : SERVER_MODULES) {
      try (Stream<Path> files = Files.walk(KubernetesManifests.ROOT.resolve(module).resolve("src/main/java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher matcher = SETTING_LITERAL.matcher(Files.readString(file));
          while (matcher.find()) {
            names.add(matcher.group(1));
          }
        }
      }
    }
    return names;
  }

  /** The settings named in the first column of README.md's tables ({@code | `SB_A` / `SB_B` | meaning | ...}). */
  private static Set<String> settingsTheReadmeDocuments() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String line : read("README.md").lines().filter(l -> l.startsWith("| `SB_")).toList()) {
      Matcher matcher = Pattern.compile("`(SB_[A-Z0-9_]+)`").matcher(line.substring(0, line.indexOf('|', 1)));
      while (matcher.find()) {
        names.add(matcher.group(1));
      }
    }
    return names;
  }
}
