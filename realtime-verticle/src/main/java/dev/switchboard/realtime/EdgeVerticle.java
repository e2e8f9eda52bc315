package dev.switchboard.realtime;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.Codecs;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Set;

/**
 * The edge role: HTTP server with the WebSocket, SSE, long-poll and REST endpoints, per-session hubs, heartbeats.
 */
public final class EdgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeVerticle.class);
  /** The largest single frame Netty decodes before the message limit judges it. */
  private static final int MAX_DECODED_FRAME_BYTES = 1 << 20;

  private Edge edge;
  private HttpServer server;
  private Readiness readiness;
  private long heartbeatTimer = -1;
  private long streamPingTimer = -1;
  private long presenceTimer = -1;

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    EdgeConfig config = EdgeConfig.from(config());
    Services services = new Services(vertx);
    FlushBatch flushes = new FlushBatch();
    HubRegistry hubs = new HubRegistry(vertx, services, config.replayPage(), flushes);
    edge = new Edge(vertx, config, services, hubs, new Publisher(services, config.maxNesting()), flushes);
    readiness = new Readiness(services);

    Router router = Router.router(vertx);
    router.route().handler(cors(edge.origins));
    EventsEndpoint events = new EventsEndpoint(edge);
    router.get(EventsEndpoint.PATH).handler(events::handle);
    router.get("/poll").handler(events::poll);
    new RestApi(edge, readiness).mount(router);
    // The demo page and the JavaScript client (webroot/ on the classpath, put there by the server module's build).
    // API routes above answer first; a path with no file falls through to the JSON 404 below.
    router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(StaticHandler.create("webroot").setCachingEnabled(false).setIncludeHidden(false));
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(HttpErrors::sendStatus);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.httpPort())
        // Netty rejects an oversized frame from inside its decoder, where Vert.x then drops the channel without
        // our close frame; a larger frame limit lets the message limit below refuse it cleanly with 1009.
        .setMaxWebSocketFrameSize(Math.max(MAX_DECODED_FRAME_BYTES, config.maxFrameBytes()))
        .setMaxWebSocketMessageSize(config.maxFrameBytes())
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setCompressionSupported(false)
        // Every write happens on the edge's event loop, so Vert.x needs no cross-thread write queue per connection
        // (less memory per socket), and its drain handler then follows the channel's own writability.
        .setStrictThreadMode(true)
        .setTcpNoDelay(true);
    heartbeatTimer = vertx.setPeriodic(config.heartbeatSec() * 1000L, t -> heartbeat());
    streamPingTimer = vertx.setPeriodic(SseStream.PING_SEC * 1000L, t -> new ArrayList<>(edge.streams)
        .forEach(SseStream::ping));
    presenceTimer = vertx.setPeriodic(config.presenceHeartbeat().toMillis(), t -> edge.presence.heartbeat());
    return hubs.ready()
        .compose(v -> vertx.createHttpServer(options)
            .webSocketHandshakeHandler(events::handshake)
            .webSocketHandler(events::webSocket)
            .requestHandler(router)
            .listen())
        .onSuccess(s -> {
          server = s;
          LOG.info("edge {} listening on {}:{}", config.nodeId(), config.host(), s.actualPort());
        });
  }

  /** The port the edge listens on (useful with {@code SB_HTTP_PORT=0}). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    readiness.drain();
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(streamPingTimer);
    vertx.cancelTimer(presenceTimer);
    for (WebSocketConnection connection : new ArrayList<>(edge.connections)) {
      connection.close(CloseReason.SERVICE_RESTART, CloseReason.SERVICE_RESTART.reason());
    }
    new ArrayList<>(edge.streams).forEach(stream -> stream.end(null));
    edge.presence.close();
    return (server == null ? Future.<Void>succeededFuture() : server.close()).compose(v -> edge.hubs.close());
  }

  /** CORS for REST and SSE: the allowed origins, our methods, and the headers clients send and read. */
  private static CorsHandler cors(AllowedOrigins origins) {
    CorsHandler cors = CorsHandler.create()
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
        .allowedHeaders(Set.of("Authorization", "Content-Type", "Last-Event-ID", ServerApiKey.HEADER))
        .exposedHeaders(Set.of("Retry-After"));
    return origins.any() ? cors : cors.addOrigins(origins.list());
  }

  private void heartbeat() {
    long now = System.currentTimeMillis();
    edge.clientLimits.sweep(now);
    for (WebSocketConnection connection : new ArrayList<>(edge.connections)) {
      connection.heartbeat(now);
    }
  }
}
