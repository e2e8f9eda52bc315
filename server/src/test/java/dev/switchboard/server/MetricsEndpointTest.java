package dev.switchboard.server;

import dev.switchboard.testsupport.PrometheusText;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics}: the two formats, the histograms' buckets, Vert.x's, the JVM's and the process's meters beside
 * Switchboard's, the internal port ({@code SB_INTERNAL_PORT}) and the switch ({@code SB_METRICS}).
 */
class MetricsEndpointTest {

  @Test
  void servesThePrometheusTextFormatOrOpenMetricsAsAsked() {
    try (TestNode node = TestNode.start()) {
      HttpResponse<Buffer> text = node.get("/metrics", null);
      assertEquals(200, text.statusCode());
      assertEquals("text/plain; version=0.0.4; charset=utf-8", text.getHeader("Content-Type"));
      PrometheusText scrape = PrometheusText.parse(text.bodyAsString());
      assertEquals("gauge", scrape.type("switchboard_connections"));
      assertEquals("histogram", scrape.type("switchboard_append_seconds"));

      HttpResponse<Buffer> open = TestNode.send(node.http.get("/metrics")
          .putHeader("Accept", "application/openmetrics-text; version=1.0.0,text/plain;q=0.5"), null);
      assertEquals(200, open.statusCode());
      assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", open.getHeader("Content-Type"));
      assertTrue(open.bodyAsString().endsWith("# EOF\n"), "an OpenMetrics exposition ends with # EOF");
      PrometheusText.parse(open.bodyAsString());
    }
  }

  @Test
  void histogramsHaveBucketsFrom100MicrosecondsTo10Seconds() {
    try (TestNode node = TestNode.start()) {
      PrometheusText scrape = node.scrape();
      List<String> expected = List.of("1.0E-4", "2.5E-4", "5.0E-4", "0.001", "0.0025", "0.005", "0.01", "0.025",
          "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");
      for (String histogram : List.of("switchboard_append_seconds", "switchboard_delivery_seconds",
          "switchboard_fanout_seconds")) {
        assertEquals(expected, scrape.matching(histogram + "_bucket").stream().map(s -> s.labels().get("le"))
            .toList(), histogram);
      }
      assertEquals(expected, scrape.matching("switchboard_connection_duration_seconds_bucket",
          "transport", "websocket").stream().map(s -> s.labels().get("le")).toList());
    }
  }

  @Test
  void vertxJvmAndProcessMetricsAreOn() {
    try (TestNode node = TestNode.start()) {
      node.get("/health", null);
      PrometheusText scrape = node.scrape();
      for (String family : List.of("vertx_http_server_requests_total", "vertx_eventbus_handlers",
          "vertx_pool_in_use", "jvm_memory_used_bytes", "jvm_gc_live_data_size_bytes", "jvm_threads_live_threads",
          "process_cpu_usage", "process_files_open_files", "process_uptime_seconds")) {
        assertTrue(!scrape.matching(family).isEmpty(), family + " is in the scrape");
      }
    }
  }

  @Test
  void anInternalPortServesMetricsAndProbesAndTheHttpPortNoMetrics() {
    try (TestNode node = TestNode.start(Map.of("SB_INTERNAL_PORT", "0"))) {
      assertEquals(404, node.get("/metrics", null).statusCode());
      int internal = node.node.internalPort();
      assertTrue(internal > 0 && internal != node.port());
      HttpResponse<Buffer> metrics = TestNode.send(node.http.get(internal, "127.0.0.1", "/metrics"), null);
      assertEquals(200, metrics.statusCode());
      assertEquals(1, PrometheusText.parse(metrics.bodyAsString()).value("switchboard_cluster_members"));
      assertEquals(200, TestNode.send(node.http.get(internal, "127.0.0.1", "/health"), null).statusCode());
      HttpResponse<Buffer> ready = TestNode.send(node.http.get(internal, "127.0.0.1", "/ready"), null);
      assertEquals(200, ready.statusCode(), ready.bodyAsString());
    }
  }

  @Test
  void aProcessWithoutAnEdgeServesMetricsOnItsProbePortWithItsOwnRolesMeters() {
    try (TestNode node = TestNode.start(Map.of("SB_ROLES", "persistence,auth,presence"))) {
      PrometheusText scrape = node.scrape();
      assertEquals("counter", scrape.type("switchboard_events_appended_total") == null
          ? scrape.type("switchboard_events_appended") : scrape.type("switchboard_events_appended_total"));
      assertTrue(!scrape.matching("switchboard_auth_failures_total").isEmpty(), "auth's meters");
      assertTrue(!scrape.matching("switchboard_presence_members").isEmpty(), "presence's meters");
      assertTrue(scrape.matching("switchboard_connections").isEmpty(), "no edge, no connection meters");
    }
  }

  @Test
  void metricsCanBeTurnedOff() {
    try (TestNode node = TestNode.start(Map.of("SB_METRICS", "false"))) {
      assertEquals(404, node.get("/metrics", null).statusCode());
      assertEquals(200, node.get("/health", null).statusCode());
    }
  }
}
