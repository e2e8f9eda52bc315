package dev.switchboard.realtime;

import dev.switchboard.protocol.SharedConfig;
import dev.switchboard.realtime.canary.Canary;
import dev.switchboard.realtime.control.ControlApi;
import dev.switchboard.realtime.control.ControlOrders;
import dev.switchboard.realtime.hook.HookTarget;
import dev.switchboard.realtime.hook.Hooks;
import dev.switchboard.realtime.http.AllowedOrigins;
import dev.switchboard.realtime.http.ConnectionRules;
import dev.switchboard.realtime.http.EventsEndpoint;
import dev.switchboard.realtime.http.ExamplePages;
import dev.switchboard.realtime.http.HttpErrors;
import dev.switchboard.realtime.http.MetricsEndpoint;
import dev.switchboard.realtime.http.MetricsPage;
import dev.switchboard.realtime.http.RestApi;
import dev.switchboard.realtime.http.ServerApiKey;
import dev.switchboard.realtime.http.SpecDocuments;
import dev.switchboard.realtime.hub.FlushBatch;
import dev.switchboard.realtime.hub.HubRegistry;
import dev.switchboard.realtime.hub.LiveFeed;
import dev.switchboard.realtime.hub.SubscriptionPresence;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import dev.switchboard.realtime.poll.PollEndpoint;
import dev.switchboard.realtime.positions.DeliveredPositions;
import dev.switchboard.realtime.positions.ReadChanges;
import dev.switchboard.realtime.presence.EdgePresence;
import dev.switchboard.realtime.publish.Publisher;
import dev.switchboard.realtime.sse.SseStream;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.ws.WebSocketConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One of the edge's event loops (docs/ARCHITECTURE.md, Threading): an HTTP server sharing the edge's port with the
 * other loops' (Vert.x hands each accepted connection to one of them in turn), the WebSocket, SSE, long-poll and REST
 * endpoints of the connections it accepted, their per-session hubs, heartbeats and deadlines. Loop 0 also runs the
 * node's {@link LiveFeed} and its delivery canary. Everything of a loop runs on its own event loop.
 */
public final class EdgeLoop extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeLoop.class);
  /** The largest single frame Netty decodes before the message limit judges it. */
  private static final int MAX_DECODED_FRAME_BYTES = 1 << 20;
  /** How often connection deadlines are checked; each is kept to within this. */
  private static final long DEADLINE_SWEEP_MS = 500;

  private final EdgeNode node;
  private final int index;
  private final int port;
  private final Supplier<String> nodeGate;
  private final EdgeMetrics metrics;
  private final MetricsPage metricsPage;
  private LiveFeed feed;
  private Edge edge;
  private Canary canary;
  private HttpServer server;
  private Readiness readiness;
  private ReadChanges readChanges;
  private ControlOrders orders;
  private long heartbeatTimer = -1;
  private long streamPingTimer = -1;
  private long presenceTimer = -1;
  private long deadlineTimer = -1;

  /**
   * @param index       this loop's number, from 0
   * @param port        the port to listen on, the same for every loop
   * @param nodeGate    why the process is not ready (not a cluster member, say), or null when it is; {@code /ready}
   *                    answers 503 with that reason
   * @param metricsPage what {@code GET /metrics} answers, or null for 404 (metrics on another port, or none)
   */
  EdgeLoop(EdgeNode node, int index, int port, Supplier<String> nodeGate, MetricsPage metricsPage) {
    this.node = node;
    this.index = index;
    this.port = port;
    this.nodeGate = nodeGate;
    this.metrics = node.metrics;
    this.metricsPage = metricsPage;
  }

  @Override
  public Future<?> start() {
    EdgeConfig config = node.config;
    if (index == 0) {
      feed = new LiveFeed(vertx, sessionId -> node.namespaces.of(sessionId).joinLeave());
      node.feed(feed);
    }
    RoleClient roles = new RoleClient(vertx, RoleClient.localAddresses(config.roles()));
    FlushBatch flushes = new FlushBatch();
    EdgePresence presence = new EdgePresence(vertx, roles, config, node.namespaces);
    DeliveredPositions delivered = new DeliveredPositions(vertx, roles::delivered);
    HubRegistry hubs = new HubRegistry(vertx, node.feed(), roles, config.replayPage(), flushes,
        SubscriptionPresence.both(presence, delivered), metrics);
    Hooks hooks = new Hooks(vertx, node.namespaces, node.hookCache, metrics);
    Publisher publisher = new Publisher(roles, config.maxNesting(), node.namespaces, hooks, metrics);
    edge = new Edge(vertx, EdgeTimers.of(vertx), node, roles, hubs, hooks, publisher, flushes, presence, delivered);
    readChanges = new ReadChanges(vertx, delivered);
    orders = new ControlOrders(vertx, edge.connections);
    readiness = new Readiness(vertx, roles, nodeGate, SharedConfig.from(config()).redisUrl());

    Router router = Router.router(vertx);
    RestApi rest = new RestApi(edge, readiness);
    rest.mountDevTokens(router, this::refuseWhileDraining);
    router.route().handler(cors(edge.origins, node.namespaces.connectHook()));
    router.route().handler(this::refuseWhileDraining);
    EventsEndpoint events = new EventsEndpoint(edge);
    router.get(EventsEndpoint.PATH).handler(events::handle);
    router.get(PollEndpoint.PATH).handler(new PollEndpoint(edge)::poll);
    rest.mount(router);
    new ControlApi(edge, node.members).mount(router);
    if (metricsPage != null) {
      MetricsEndpoint metricsEndpoint = new MetricsEndpoint(vertx, metricsPage);
      router.get(MetricsEndpoint.PATH).handler(ctx -> metricsEndpoint.handle(ctx.request()));
    }
    SpecDocuments.mount(router);
    ExamplePages.mount(router, config.devTokens());
    // The demo page and the JavaScript client (webroot/ on the classpath, put there by the server module's build).
    // API routes above answer first; a path with no file falls through to the JSON 404 below.
    router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(StaticHandler.create("webroot").setCachingEnabled(false).setIncludeHidden(false));
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(HttpErrors::sendStatus);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(port)
        // Netty rejects an oversized frame from inside its decoder, where Vert.x then drops the channel without
        // our close frame; a larger frame limit lets the message limit below refuse it cleanly with 1009.
        .setMaxWebSocketFrameSize(Math.max(MAX_DECODED_FRAME_BYTES, config.maxFrameBytes()))
        .setMaxWebSocketMessageSize(config.maxFrameBytes())
        // Every write happens on the loop that accepted its connection, so Vert.x needs no cross-thread write queue per connection
        // (less memory per socket), and its drain handler then follows the channel's own writability.
        .setStrictThreadMode(true)
        // HTTP/1.1 only: with h2c on, Vert.x hands a connection over only after its first bytes, so a connection that
        // never sends one would escape the header deadline (docs/ARCHITECTURE.md, Connections that never finish).
        .setHttp2ClearTextEnabled(false)
        .setTcpNoDelay(true);
    config.compression().apply(options);
    if (node.certificate != null) {
      node.certificate.apply(options);
      config.http2().apply(options);
      // Over TLS Vert.x hands a connection to the guard only once its handshake is done (and an HTTP/2 one once its
      // preface is in): the handshake gets the header deadline, and the idle backstop ends what neither watches.
      options.setSslHandshakeTimeout(config.connections().headerTimeout().toMillis())
          .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
          .setIdleTimeout((int) idleBackstop(config).toSeconds())
          .setIdleTimeoutUnit(TimeUnit.SECONDS);
    }
    heartbeatTimer = vertx.setPeriodic(config.heartbeatSec() * 1000L, t -> heartbeat());
    streamPingTimer = vertx.setPeriodic(config.heartbeatSec() * 1000L, t -> new ArrayList<>(edge.connections.streams)
        .forEach(SseStream::ping));
    presenceTimer = vertx.setPeriodic(config.presenceHeartbeat().toMillis(), t -> edge.presence.heartbeat());
    deadlineTimer = vertx.setPeriodic(DEADLINE_SWEEP_MS, t -> edge.guard.sweep(edge.timers.now()));
    return (feed != null ? feed.ready() : Future.<Void>succeededFuture())
        .compose(v -> orders.ready())
        .compose(v -> vertx.createHttpServer(options)
            // Upgrades are taken here too, not by a WebSocket handler: Vert.x parses an upgrade's URL before such a
            // handler runs and writes the whole URL, query and all, to its log when it does not decode.
            .connectionHandler(connection -> edge.guard.accepted(connection, edge.timers.now()))
            .invalidRequestHandler(request -> {
              edge.accessLog.begin(request);
              HttpErrors.invalidRequest(request);
            })
            .requestHandler(request -> {
              edge.accessLog.begin(request);
              Refusal limited = edge.guard.requested(request, edge.timers.now());
              if (edge.malformedUrls.refuse(request, edge.timers.now())) {
                return;
              }
              if (limited != null && !EventsEndpoint.isUpgrade(request)) {
                metrics.refused(limited);
                HttpErrors.sendAndClose(request, limited);
                return;
              }
              if (EventsEndpoint.isUpgrade(request)) {
                events.upgrade(request);
              } else {
                router.handle(request);
              }
            })
            .listen())
        .onSuccess(s -> {
          server = s;
          LOG.info("edge {} loop {} listening on {}:{}", config.nodeId(), index, config.host(), s.actualPort());
          if (index == 0 && config.canaryOn()) {
            canary = new Canary(vertx, roles, metrics.canary(), edge.canaryPass, config.nodeId(), s.actualPort(),
                node.certificate != null, config.canaryInterval(), node.members);
          }
        });
  }

  /** How many WebSockets this loop holds, read on the loop. */
  Future<Integer> openWebSockets() {
    Promise<Integer> count = Promise.promise();
    context.runOnContext(v -> count.complete(edge.connections.webSockets.size()));
    return count.future();
  }

  /** How many subscribers this loop has in a session, read on the loop. */
  Future<Integer> subscribers(String sessionId) {
    Promise<Integer> count = Promise.promise();
    context.runOnContext(v -> count.complete(edge.hubs.subscribers(sessionId)));
    return count.future();
  }

  /** Serves {@code ssl}'s certificate to this loop's next handshakes; open connections keep theirs. */
  Future<Boolean> updateCertificate(ServerSSLOptions ssl) {
    return server.updateSSLOptions(ssl);
  }

  /** The port the edge listens on (useful with {@code SB_HTTP_PORT=0}). */
  int actualPort() {
    return server.actualPort();
  }

  /**
   * The edge's part of a drain (docs/ARCHITECTURE.md, Drain): {@code /ready} turns 503, new connections and requests
   * are refused, WebSockets close with 1012, SSE streams and long polls end, and the returned future completes once
   * the appends already sent to persistence are answered (or {@code grace} has passed). Clients resume elsewhere from
   * their last eventId; an append whose ack did not reach its client is retried with its idempotency key.
   */
  Future<Void> drain(Duration grace) {
    Promise<Void> drained = Promise.promise();
    // The verticle's own context: strict thread mode allows writes from the loop's own thread only.
    context.runOnContext(v -> {
      readiness.drain();
      stopCanary();
      edge.connections.startDraining();
      LOG.info("draining: {}; {} appends in flight", edge.connections.closeAll(),
          edge.roles.appendsInFlight());
      long deadline = System.nanoTime() + grace.toNanos();
      awaitAppends(drained, deadline);
    });
    return drained.future();
  }

  private void awaitAppends(Promise<Void> drained, long deadline) {
    int inFlight = edge.roles.appendsInFlight();
    if (inFlight == 0 || System.nanoTime() >= deadline) {
      if (inFlight > 0) {
        LOG.warn("drain grace over with {} appends unanswered", inFlight);
      }
      drained.complete();
    } else {
      vertx.setTimer(20, t -> awaitAppends(drained, deadline));
    }
  }

  private void refuseWhileDraining(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    // The probes and the metrics answer while the node drains: Prometheus sees the drain happen.
    if (edge.connections.draining() && !path.equals("/health") && !path.equals("/ready")
        && !path.equals(MetricsEndpoint.PATH)) {
      ctx.response().putHeader("Retry-After", "1");
      HttpErrors.send(ctx, Refusal.DRAINING);
    } else {
      ctx.next();
    }
  }

  @Override
  public Future<?> stop() {
    readiness.drain();
    stopCanary();
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(streamPingTimer);
    vertx.cancelTimer(presenceTimer);
    vertx.cancelTimer(deadlineTimer);
    edge.connections.closeAll();
    edge.presence.close();
    edge.delivered.close();
    readChanges.close();
    orders.close();
    edge.hooks.close();
    edge.hubs.close();
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return feed == null ? closed : closed.compose(v -> feed.close());
  }

  private void stopCanary() {
    if (canary != null) {
      canary.stop();
      canary = null;
    }
  }

  /** CORS for REST and SSE: the allowed origins, our methods, and the headers clients send and read. */
  /**
   * With a connect hook, the listed origins' pages may send credentials (cookies) and the headers the hook is
   * forwarded; such a hook never runs with any origin allowed ({@link ConnectHookOrigins}).
   */
  private static CorsHandler cors(AllowedOrigins origins, HookTarget connectHook) {
    Set<String> headers = new HashSet<>(Set.of("Authorization", "Content-Type", "Last-Event-ID", ServerApiKey.HEADER));
    if (connectHook != null) {
      headers.addAll(connectHook.forwardedHeaders());
    }
    CorsHandler cors = CorsHandler.create()
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
        .allowedHeaders(headers)
        .exposedHeaders(Set.of("Retry-After"));
    if (connectHook != null && !origins.any()) {
      cors.allowCredentials(true);
    }
    return origins.any() ? cors : cors.addOrigins(origins.list());
  }

  /**
   * How long a TLS connection may go without a byte either way: longer than anything a served connection waits (an
   * idle kept-alive connection, a long poll, two WebSocket heartbeats; SSE streams are pinged every heartbeat), so it
   * only ends connections nothing else watches.
   */
  static Duration idleBackstop(EdgeConfig config) {
    Duration longest = config.connections().idleTimeout();
    longest = longest.compareTo(ConnectionRules.LONGEST_POLL) > 0 ? longest : ConnectionRules.LONGEST_POLL;
    Duration heartbeats = Duration.ofSeconds(2L * config.heartbeatSec());
    return (longest.compareTo(heartbeats) > 0 ? longest : heartbeats).plusSeconds(1);
  }

  private void heartbeat() {
    long now = edge.timers.now();
    if (index == 0) {
      // The node's shared limits: swept by one loop.
      edge.clientLimits.sweep(now);
      edge.userBudgets.sweep(now);
    }
    for (WebSocketConnection connection : new ArrayList<>(edge.connections.webSockets)) {
      connection.heartbeat(now);
    }
  }
}
