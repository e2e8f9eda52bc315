package dev.switchboard.server;

import dev.switchboard.auth.AuthMetrics;
import dev.switchboard.persistence.PersistenceMetrics;
import dev.switchboard.presence.PresenceMetrics;
import dev.switchboard.protocol.Meters;
import dev.switchboard.realtime.http.MetricsPage;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.EnumSet;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * One process's meters (docs/ARCHITECTURE.md, Metrics): its own Prometheus registry, never a JVM-wide default, so
 * that several nodes in one JVM (the tests) keep apart; Vert.x's HTTP, event bus and pool metrics and the JVM's and
 * process's bound to it; each role's meters, built when the role is deployed; and the page {@code GET /metrics}
 * serves. With {@code SB_METRICS=false} everything records into nothing and there is no page.
 *
 * <p>More meters of the node (the canary's {@code switchboard_canary_seconds} and
 * {@code switchboard_canary_failures_total{stage}}, say) register on {@link #registry()} through the helpers of
 * {@link Meters}, once, where they are recorded.
 */
public final class NodeMetrics {

  /** Prometheus text format 0.0.4, what a scrape gets unless it asks for OpenMetrics. */
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry prometheus;
  private final MeterRegistry registry;
  /** Vert.x keeps its registries in a JVM-wide map by name: each node needs its own name. */
  private final String vertxRegistryName = "switchboard-" + UUID.randomUUID();
  private EdgeMetrics edge;
  private PersistenceMetrics persistence;
  private AuthMetrics auth;
  private PresenceMetrics presence;

  private NodeMetrics(boolean enabled) {
    this.prometheus = enabled ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
    this.registry = enabled ? prometheus : Meters.none();
    if (enabled) {
      new FileDescriptorMetrics().bindTo(registry);
    }
  }

  /** The meters of a node with metrics on or off ({@code SB_METRICS}). */
  public static NodeMetrics of(boolean enabled) {
    return new NodeMetrics(enabled);
  }

  /** Where meters register; records nothing when metrics are off. */
  public MeterRegistry registry() {
    return registry;
  }

  /** A Vert.x builder whose instance reports its HTTP, event bus, pool, JVM and process metrics to this registry. */
  public VertxBuilder vertxBuilder(VertxOptions options) {
    if (prometheus == null) {
      return Vertx.builder().with(options);
    }
    // Vert.x's default labels less pool_name, which names an HTTP client pool by the address it connects to.
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setRegistryName(vertxRegistryName)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.EB_SIDE)));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(prometheus));
  }

  /** A Vert.x instance (not clustered) built by {@link #vertxBuilder}. */
  public Vertx newVertx() {
    return vertxBuilder(new VertxOptions()).build();
  }

  /** {@code switchboard_cluster_members}: the members this process sees (1 when it is not clustered). */
  public void clusterMembers(IntSupplier members) {
    Gauge.builder("switchboard.cluster.members", members::getAsInt)
        .description("members of the cluster as this process sees them (1 when not clustered)").register(registry);
  }

  synchronized EdgeMetrics edge() {
    if (edge == null) {
      edge = new EdgeMetrics(registry);
    }
    return edge;
  }

  synchronized PersistenceMetrics persistence() {
    if (persistence == null) {
      persistence = new PersistenceMetrics(registry);
    }
    return persistence;
  }

  synchronized AuthMetrics auth() {
    if (auth == null) {
      auth = new AuthMetrics(registry);
    }
    return auth;
  }

  synchronized PresenceMetrics presence() {
    if (presence == null) {
      presence = new PresenceMetrics(registry);
    }
    return presence;
  }

  /** What {@code GET /metrics} answers, or null when metrics are off. */
  MetricsPage page() {
    return prometheus == null ? null : accept -> {
      String contentType = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
      return new MetricsPage.Scrape(contentType, prometheus.scrape(contentType));
    };
  }
}
