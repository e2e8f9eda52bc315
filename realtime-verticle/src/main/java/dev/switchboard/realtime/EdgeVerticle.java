package dev.switchboard.realtime;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.Codecs;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
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

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    EdgeConfig config = EdgeConfig.from(config());
    Services services = new Services(vertx);
    HubRegistry hubs = new HubRegistry(vertx, services, config.replayPage());
    edge = new Edge(vertx, config, services, hubs, new Publisher(services, config.maxNesting()));
    readiness = new Readiness(services);

    Router router = Router.router(vertx);
    CorsHandler cors = cors(edge.origins);
    // A WebSocket upgrade is answered by its own origin check (accepted, then closed with 4003), not by a 403.
    router.route().handler(ctx -> {
      if ("websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
        ctx.next();
      } else {
        cors.handle(ctx);
      }
    });
    EventsEndpoint events = new EventsEndpoint(edge);
    router.get("/events").handler(events::handle);
    router.get("/poll").handler(events::poll);
    new RestApi(edge, readiness).mount(router);
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
        .setTcpNoDelay(true);
    heartbeatTimer = vertx.setPeriodic(config.heartbeatSec() * 1000L, t -> heartbeat());
    streamPingTimer = vertx.setPeriodic(SseStream.PING_SEC * 1000L, t -> new ArrayList<>(edge.streams)
        .forEach(SseStream::ping));
    return hubs.ready()
        .compose(v -> vertx.createHttpServer(options).requestHandler(router).listen())
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
    for (WebSocketConnection connection : new ArrayList<>(edge.connections)) {
      connection.close(CloseReason.SERVICE_RESTART, CloseReason.SERVICE_RESTART.reason());
    }
    new ArrayList<>(edge.streams).forEach(stream -> stream.end(null));
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
