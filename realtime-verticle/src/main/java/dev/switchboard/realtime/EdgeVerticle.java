package dev.switchboard.realtime;

import dev.switchboard.protocol.Codecs;
import dev.switchboard.realtime.canary.EdgeMembers;
import dev.switchboard.realtime.control.SubscriberCounts;
import dev.switchboard.realtime.http.MetricsPage;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import dev.switchboard.realtime.namespace.NamespaceAgreement;
import dev.switchboard.realtime.http.AllowedOrigins;
import dev.switchboard.realtime.namespace.Namespaces;
import dev.switchboard.realtime.tls.EdgeCertificate;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.ServerSSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The edge role: {@code SB_EDGE_LOOPS} {@link EdgeLoop}s, each on its own event loop, sharing one port and one
 * {@link EdgeNode} (docs/ARCHITECTURE.md, Threading). Loop 0 starts first and makes the node's live feed; the others
 * then join it. Their servers share one listening socket, and Vert.x hands each accepted connection to one loop in
 * turn.
 */
public final class EdgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeVerticle.class);
  /** Vert.x's "any free port, shared by every listener that asks for this same number". */
  private static final int SHARED_FREE_PORT = -1;

  private final Supplier<String> nodeGate;
  private final EdgeMetrics metrics;
  private final MetricsPage metricsPage;
  private final List<EdgeLoop> loops = new ArrayList<>();
  private final List<String> deployments = new ArrayList<>();
  private EdgeCertificate certificate;
  private EdgeNode node;
  private MessageConsumer<String> subscriberCounts;
  private NamespaceAgreement namespaceAgreement;

  /** An edge that is ready whenever its own checks pass (a single node). */
  public EdgeVerticle() {
    this(() -> null);
  }

  /**
   * @param nodeGate why the process is not ready (not a cluster member, say), or null when it is; {@code /ready}
   *                 answers 503 with that reason
   */
  public EdgeVerticle(Supplier<String> nodeGate) {
    this(nodeGate, EdgeMetrics.none(), null);
  }

  /**
   * @param metrics     what the edge records into
   * @param metricsPage what {@code GET /metrics} answers, or null for 404 (metrics on another port, or none)
   */
  public EdgeVerticle(Supplier<String> nodeGate, EdgeMetrics metrics, MetricsPage metricsPage) {
    this.nodeGate = nodeGate;
    this.metrics = metrics;
    this.metricsPage = metricsPage;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    EdgeConfig config = EdgeConfig.from(config());
    certificate = config.tls() == null ? null : new EdgeCertificate(vertx, config.tls());
    Namespaces namespaces = Namespaces.from(config(), config.maxFrameBytes());
    LOG.info("namespace configuration {}", namespaces.hash().substring(0, 12));
    ConnectHookOrigins.check(namespaces.connectHook(), new AllowedOrigins(config.allowedOrigins()));
    namespaceAgreement = new NamespaceAgreement(vertx, config.nodeId(), namespaces.hash(),
        metrics::namespacesDisagreeing);
    node = new EdgeNode(config, metrics, certificate, EdgeMembers.of(vertx, config.nodeId()), namespaces);
    // Vert.x shares a server between listeners of one host and port; for "any free port" (0) it shares one only
    // between listeners of the same negative port.
    int port = config.httpPort() == 0 ? SHARED_FREE_PORT : config.httpPort();
    Future<Void> chain = certificate == null ? Future.succeededFuture() : certificate.load();
    for (int i = 0; i < config.edgeLoops(); i++) {
      int index = i;
      chain = chain.compose(v -> deployLoop(node, index, port));
    }
    return chain.compose(v -> {
      subscriberCounts = SubscriberCounts.serve(vertx, config.nodeId(), this::subscribers);
      namespaceAgreement.start();
      return subscriberCounts.completion();
    }).onSuccess(v -> {
      LOG.info("edge on {} event loops, {}", loops.size(), certificate == null ? "plain HTTP" : "TLS");
      if (certificate != null) {
        certificate.watch(this::updateCertificate);
      }
    });
  }

  /** Gives every loop's server the new certificate: each loop holds its own server on the shared port. */
  private Future<Void> updateCertificate(ServerSSLOptions ssl) {
    List<Future<Boolean>> updated = new ArrayList<>();
    loops.forEach(loop -> updated.add(loop.updateCertificate(ssl)));
    return Future.all(updated).mapEmpty();
  }

  private Future<Void> deployLoop(EdgeNode node, int index, int port) {
    EdgeLoop loop = new EdgeLoop(node, index, port, nodeGate, metricsPage);
    return vertx.deployVerticle(loop, new DeploymentOptions().setConfig(config().copy()))
        .onSuccess(id -> {
          loops.add(loop);
          deployments.add(id);
        })
        .mapEmpty();
  }

  /** The port the edge listens on (useful with {@code SB_HTTP_PORT=0}). */
  public int actualPort() {
    return loops.get(0).actualPort();
  }

  /** How many event loops the edge runs on. */
  public int loops() {
    return loops.size();
  }

  /** How many subscribers this node has in a session, over every loop. */
  public Future<Integer> subscribers(String sessionId) {
    List<Future<Integer>> counts = new ArrayList<>();
    loops.forEach(loop -> counts.add(loop.subscribers(sessionId)));
    return Future.all(counts).map(all -> counts.stream().mapToInt(Future::result).sum());
  }

  /** How many WebSockets each loop holds, loop 0 first: how evenly Vert.x spreads connections. */
  public Future<List<Integer>> openWebSocketsPerLoop() {
    List<Future<Integer>> counts = new ArrayList<>();
    loops.forEach(loop -> counts.add(loop.openWebSockets()));
    return Future.all(counts).map(all -> all.<Integer>list());
  }

  /**
   * The edge's part of a drain (docs/ARCHITECTURE.md, Drain), on every loop at once: {@code /ready} turns 503, new
   * connections and requests are refused, WebSockets close with 1012, SSE streams and long polls end, and the returned
   * future completes once the appends already sent to persistence are answered (or {@code grace} has passed). Clients
   * resume elsewhere from their last eventId; an append whose ack did not reach its client is retried with its
   * idempotency key.
   */
  public Future<Void> drain(Duration grace) {
    List<Future<Void>> drained = new ArrayList<>();
    loops.forEach(loop -> drained.add(loop.drain(grace)));
    return Future.all(drained).mapEmpty();
  }

  /** Stops the loops that joined loop 0 first, then loop 0, which runs the feed they used. */
  @Override
  public Future<?> stop() {
    if (certificate != null) {
      certificate.stop();
    }
    if (subscriberCounts != null) {
      subscriberCounts.unregister();
    }
    if (namespaceAgreement != null) {
      namespaceAgreement.stop();
    }
    if (node != null) {
      node.members.leave();
    }
    List<Future<Void>> others = new ArrayList<>();
    for (int i = deployments.size() - 1; i >= 1; i--) {
      others.add(vertx.undeploy(deployments.get(i)));
    }
    return Future.join(others).compose(v -> deployments.isEmpty() ? Future.succeededFuture()
        : vertx.undeploy(deployments.get(0)));
  }
}
