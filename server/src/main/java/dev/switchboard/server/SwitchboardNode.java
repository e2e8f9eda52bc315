package dev.switchboard.server;

import dev.switchboard.protocol.Codecs;
import dev.switchboard.protocol.ConfigReader;
import dev.switchboard.realtime.EdgeVerticle;
import dev.switchboard.realtime.http.MetricsPage;
import dev.switchboard.realtime.tls.EdgeCertificate;
import dev.switchboard.realtime.tls.TlsFiles;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * One running Switchboard process: its roles deployed on one Vert.x instance, in dependency order, and the drain that
 * ends it (docs/ARCHITECTURE.md, Drain).
 */
public final class SwitchboardNode {

  private static final Logger LOG = LoggerFactory.getLogger(SwitchboardNode.class);

  private final Vertx vertx;
  private final Supplier<String> nodeGate;
  private final List<String> deployments = new ArrayList<>();
  private volatile boolean draining;
  private final NodeMetrics metrics;
  private EdgeVerticle edge;
  private ProbeVerticle probe;
  private ProbeVerticle internal;

  private SwitchboardNode(Vertx vertx, Supplier<String> clusterGate, NodeMetrics metrics) {
    this.vertx = vertx;
    this.nodeGate = () -> draining ? "draining" : clusterGate.get();
    this.metrics = metrics;
  }

  /**
   * Deploys the settings' roles on {@code vertx}; fails (undeploying what started) if any role fails.
   *
   * @param clusterGate why this process is not a working cluster member, or null when it is (or is not clustered)
   * @param metrics     the node's meters; {@code vertx} must have been built by its {@link NodeMetrics#vertxBuilder}
   */
  public static Future<SwitchboardNode> start(Vertx vertx, NodeSettings settings, Supplier<String> clusterGate,
                                              NodeMetrics metrics) {
    Codecs.register(vertx);
    SwitchboardNode node = new SwitchboardNode(vertx, clusterGate, metrics);
    metrics.clusterMembers(() -> vertx instanceof VertxInternal internal && internal.clusterManager() != null
        ? internal.clusterManager().getNodes().size() : 1);
    // /metrics is on the HTTP port, or only on the internal port when there is one.
    MetricsPage page = metrics.page();
    MetricsPage onHttpPort = settings.internalPort() == null ? page : null;
    Future<Void> chain = Future.succeededFuture();
    for (Role role : Role.values()) {
      if (settings.roles().contains(role)) {
        chain = chain.compose(v -> node.deploy(role.newVerticle(node.nodeGate, metrics, onHttpPort), settings,
            role.name()));
      }
    }
    if (!settings.roles().contains(Role.EDGE)) {
      // Without an edge, the process still answers the probes on its HTTP port.
      chain = chain.compose(v -> node.deploy(
          new ProbeVerticle(node.nodeGate, settings.shared(), settings.shared().httpPort(), onHttpPort, null), settings,
          "probe"));
    }
    if (settings.internalPort() != null) {
      // The internal port speaks TLS when the edge's port does, with the same certificate (docs/PROTOCOL.md, TLS).
      TlsFiles tls = TlsFiles.from(new ConfigReader(settings.config()));
      EdgeCertificate certificate = tls == null ? null : EdgeCertificate.forInternalPort(vertx, tls);
      chain = chain.compose(v -> node.deploy(
          new ProbeVerticle(node.nodeGate, settings.shared(), settings.internalPort(), page, certificate), settings,
          "internal"));
    }
    return chain.map(node).recover(failure -> node.stop().transform(ignored -> Future.failedFuture(failure)));
  }

  private Future<Void> deploy(Deployable verticle, NodeSettings settings, String name) {
    if (verticle instanceof EdgeVerticle edgeVerticle) {
      edge = edgeVerticle;
    } else if (verticle instanceof ProbeVerticle probeVerticle) {
      if (name.equals("internal")) {
        internal = probeVerticle;
      } else {
        probe = probeVerticle;
      }
    }
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(settings.config().copy()))
        .onSuccess(id -> {
          deployments.add(id);
          LOG.debug("{} deployed", name);
        })
        .mapEmpty();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The node's meters. */
  public NodeMetrics metrics() {
    return metrics;
  }

  /** The edge role, or null in a process without one. */
  public EdgeVerticle edge() {
    return edge;
  }

  /** The internal port ({@code SB_INTERNAL_PORT}, useful when it is 0), or -1 when there is none. */
  public int internalPort() {
    return internal != null ? internal.actualPort() : -1;
  }

  /** The HTTP port (the edge's, or the probes' on a process without an edge). */
  public int httpPort() {
    return edge != null ? edge.actualPort() : probe != null ? probe.actualPort() : -1;
  }

  /**
   * Drains, then stops every role: {@code /ready} turns 503, the edge closes its clients (1012) and waits for the
   * appends it sent, then the roles stop in reverse order (persistence last, finishing the appends it received).
   * Leaving the cluster is the caller's {@code vertx.close()}.
   */
  public Future<Void> drain(Duration grace) {
    draining = true;
    Future<Void> edgeDrained = edge == null ? Future.succeededFuture() : edge.drain(grace.dividedBy(2));
    return edgeDrained.compose(v -> stop());
  }

  /** Undeploys the roles in reverse order: the edge first, persistence last, so in-flight appends finish. */
  public Future<Void> stop() {
    draining = true;
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    deployments.clear();
    Future<Void> chain = Future.succeededFuture();
    for (String id : reversed) {
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return chain;
  }
}
