package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.testsupport.PrometheusText;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What an operator's tools query is what a node exports: every metric named by the Grafana dashboard
 * ({@code ops/grafana/switchboard.json}), the alerting rules ({@code ops/prometheus/alerts.yaml}) and the
 * prometheus-adapter rule ({@code ops/prometheus-adapter/values.yaml}) is in a real node's {@code GET /metrics} after a
 * short scenario, and every Switchboard metric a node exports is on the dashboard. (Whether the queries parse is
 * promtool's, in module {@code ops}.)
 */
class OperationsMetricNamesTest {

  /** Queried, and exported by something else than a node. */
  private static final Map<String, String> EXTERNAL = Map.of(
      "up", "Prometheus's own, one per scrape target",
      "kube_deployment_status_replicas_unavailable", "kube-state-metrics");

  /** The suffixes a family's series add to its name: histograms', counters', and Micrometer's {@code _max}. */
  private static final Pattern SERIES_SUFFIX = Pattern.compile("_(bucket|count|sum|total|created|max)$");
  private static final Set<String> PROMQL_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
  private static final String SESSION = "operations-room";
  private static final String USER = TestTokens.user("operator", List.of("*"), List.of("*"));

  private static PrometheusText scrape;
  private static JsonNode dashboard;

  @BeforeAll
  static void scrapeANodeAfterAScenario() throws IOException {
    dashboard = new ObjectMapper().readTree(KubernetesManifests.read("ops/grafana/switchboard.json"));
    // The canary on (TestNode turns it off for other tests' counts), so its latency series exists.
    try (TestNode node = TestNode.start(Map.of("SB_CANARY_INTERVAL", "200ms"))) {
      // A subscriber, an event, a close: the series labelled on first use (closes by code) exist after it.
      WsClient ws = node.connect("sessionId=" + SESSION, USER);
      ws.next("replayed");
      node.publish(USER, SESSION, new JsonObject().put("n", 1));
      ws.events(1);
      ws.close();
      long deadline = System.currentTimeMillis() + 10_000;
      do {
        // jvm_gc_pause_seconds is registered at the first collection the JVM reports.
        System.gc();
        scrape = node.scrape();
      } while ((scrape.matching("switchboard_connections_closed_total").isEmpty()
          || scrape.matching("switchboard_canary_seconds_count").isEmpty()
          || scrape.matching("jvm_gc_pause_seconds_count").isEmpty()) && System.currentTimeMillis() < deadline);
    }
  }

  @Test
  void everyMetricTheDashboardTheAlertsAndTheAdapterQueryIsExported() throws IOException {
    Map<String, Set<String>> queried = new TreeMap<>();
    dashboardMetrics().forEach(name -> queried.computeIfAbsent(name, n -> new TreeSet<>()).add("dashboard"));
    alertMetrics().forEach(name -> queried.computeIfAbsent(name, n -> new TreeSet<>()).add("alerts.yaml"));
    adapterMetrics().forEach(name -> queried.computeIfAbsent(name, n -> new TreeSet<>()).add("prometheus-adapter"));
    assertTrue(queried.keySet().containsAll(Set.of("switchboard_delivery_seconds_bucket", "switchboard_connections",
        "jvm_gc_pause_seconds_sum", "up")), "the queries name " + queried.keySet());

    Set<String> exported = exportedNames();
    Map<String, Set<String>> unknown = new TreeMap<>();
    queried.forEach((name, where) -> {
      if (!exported.contains(name) && !EXTERNAL.containsKey(name)) {
        unknown.put(name, where);
      }
    });
    assertEquals(Map.of(), unknown, "queried, but a node exports no such series");
  }

  @Test
  void everySwitchboardMetricANodeExportsIsOnTheDashboard() {
    Set<String> shown = new TreeSet<>();
    dashboardMetrics().forEach(name -> shown.add(family(name)));
    Set<String> missing = new TreeSet<>();
    for (String name : exportedNames()) {
      if (name.startsWith("switchboard_") && !shown.contains(family(name))) {
        missing.add(family(name));
      }
    }
    assertEquals(Set.of(), missing, "exported by a node, but on no panel of ops/grafana/switchboard.json");
  }

  @Test
  void theDashboardIsImportableAndEveryQueryFollowsTheInstanceVariable() {
    assertTrue(dashboard.path("schemaVersion").asInt() >= 39, "schemaVersion of Grafana 10.4 or later");
    Map<String, JsonNode> variables = new TreeMap<>();
    dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
    assertEquals("datasource", variables.get("datasource").path("type").asText());
    assertEquals("prometheus", variables.get("datasource").path("query").asText());
    assertEquals("query", variables.get("instance").path("type").asText());
    assertTrue(variables.get("instance").path("multi").asBoolean());
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertTrue(ids.add(panel.path("id").asInt()), "panel id " + panel.path("id") + " is repeated");
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertEquals("${datasource}", target.path("datasource").path("uid").asText(), expr);
        assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
        Matcher selectors = Pattern.compile("[a-z_:]+(\\{[^}]*})?").matcher(expr);
        while (selectors.find()) {
          String name = selectors.group().replaceAll("\\{.*", "");
          if (metricNames(expr).contains(name)) {
            assertTrue(selectors.group().contains("instance=~\"$instance\""), panel.path("title").asText() + ": "
                + name + " is not filtered by $instance in " + expr);
          }
        }
      }
    }
    String all = dashboard.toString();
    for (String histogram : List.of("switchboard_delivery_seconds", "switchboard_fanout_seconds",
        "switchboard_append_seconds")) {
      for (String quantile : List.of("0.5", "0.99")) {
        assertTrue(all.contains("histogram_quantile(" + quantile + ", sum by (le) (rate(" + histogram + "_bucket{"),
            histogram + " p" + quantile);
      }
    }
  }

  @Test
  void theNameExtractionFindsMetricsAndNothingElse() {
    assertEquals(Set.of("a_bucket", "b_total", "up"), metricNames("histogram_quantile(0.99, sum by (instance, le) "
        + "(rate(a_bucket{instance=~\"$instance\", x=\"by (y)\"}[$__rate_interval]))) > 0.1 and on (instance) "
        + "sum without (pod) (rate(b_total[5m] offset 1h)) > bool 1 or vector(0) unless up == 0"));
    assertEquals("switchboard_delivery_seconds", family("switchboard_delivery_seconds_bucket"));
    assertEquals("switchboard_deliveries", family("switchboard_deliveries_total"));
    assertEquals("switchboard_connections", family("switchboard_connections"));
  }

  /** The metric names a PromQL expression selects: no functions, keywords, label names or values. */
  static Set<String> metricNames(String expr) {
    String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
        .replaceAll("\\b(group_left|group_right)\\b", " ");
    Set<String> names = new TreeSet<>();
    Matcher matcher = Pattern.compile("(?<![a-zA-Z0-9_:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
    while (matcher.find()) {
      if (matcher.group(2) == null && !PROMQL_KEYWORDS.contains(matcher.group(1).toLowerCase())) {
        names.add(matcher.group(1));
      }
    }
    return names;
  }

  /** A series' family: its name less a histogram's, counter's or Micrometer timer's suffix. */
  static String family(String series) {
    return SERIES_SUFFIX.matcher(series).replaceFirst("");
  }

  private static Set<String> exportedNames() {
    Set<String> names = new TreeSet<>();
    scrape.samples().forEach(s -> names.add(s.name()));
    return names;
  }

  private static Set<String> dashboardMetrics() {
    Set<String> names = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panel.path("targets").forEach(t -> names.addAll(metricNames(t.path("expr").asText())));
    }
    Pattern labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      Matcher matcher = labelValues.matcher(variable.path("definition").asText());
      if (matcher.find()) {
        names.add(matcher.group(1));
      }
    }
    if (names.isEmpty()) {
      fail("the dashboard has no queries");
    }
    return names;
  }

  private static Set<String> alertMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    JsonNode rules = new YAMLMapper().readTree(KubernetesManifests.read("ops/prometheus/alerts.yaml"));
    for (JsonNode group : rules.path("groups")) {
      group.path("rules").forEach(r -> names.addAll(metricNames(r.path("expr").asText())));
    }
    assertTrue(names.size() > 5, "alerts.yaml names only " + names);
    return names;
  }

  private static Set<String> adapterMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    JsonNode values = new YAMLMapper().readTree(KubernetesManifests.read("ops/prometheus-adapter/values.yaml"));
    values.path("rules").path("custom").forEach(r -> names.addAll(metricNames(r.path("seriesQuery").asText())));
    assertEquals(Set.of("switchboard_connections"), names, "the adapter's series");
    return names;
  }
}
