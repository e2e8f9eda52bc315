package dev.switchboard.server;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedConfig;
import dev.switchboard.protocol.SharedConfig.RoleName;
import dev.switchboard.realtime.Readiness;
import dev.switchboard.realtime.Readiness.ProbeAnswer;
import dev.switchboard.realtime.RoleClient;
import dev.switchboard.realtime.http.MetricsEndpoint;
import dev.switchboard.realtime.http.MetricsPage;
import dev.switchboard.realtime.tls.EdgeCertificate;
import dev.switchboard.realtime.wire.Refusal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.Supplier;

/**
 * {@code /health}, {@code /ready} and {@code /metrics} on a port of their own: for a process that runs no edge
 * (persistence, auth or presence only) on the edge's address ({@code SB_HTTP_HOST:SB_HTTP_PORT}), so every Deployment
 * is probed the same way; and on {@code SB_INTERNAL_PORT} when that is set, for any process. Ready means what it means
 * for the edge ({@link Readiness}); with the persistence role, the event log checked is this process's own. With a
 * certificate the port speaks TLS, reloaded as the edge's is; with {@code SB_TLS_CA_FILE} too, {@code /metrics}
 * answers only clients whose certificate a CA of that file signed, and the probes answer anyone (the kubelet has no
 * certificate).
 */
final class ProbeVerticle extends VerticleBase {

  private final Supplier<String> nodeGate;
  private final SharedConfig shared;
  private final int port;
  private final MetricsPage metricsPage;
  private final EdgeCertificate certificate;
  private Readiness readiness;
  private HttpServer server;

  /**
   * Probes on {@code port}, and {@code /metrics} when {@code metricsPage} is not null (else 404); over TLS with
   * {@code certificate}, or plain HTTP when it is null.
   */
  ProbeVerticle(Supplier<String> nodeGate, SharedConfig shared, int port, MetricsPage metricsPage,
                EdgeCertificate certificate) {
    this.nodeGate = nodeGate;
    this.certificate = certificate;
    this.shared = shared;
    this.port = port;
    this.metricsPage = metricsPage;
  }

  @Override
  public Future<?> start() {
    // Auth and presence have no event log to check; persistence answers its own replays (the request stays local),
    // an edge's process asks the persistence it uses, as the edge's own /ready does.
    boolean readsLog = shared.roles().contains(RoleName.PERSISTENCE) || shared.roles().contains(RoleName.EDGE);
    readiness = new Readiness(vertx,
        readsLog ? new RoleClient(vertx, RoleClient.localAddresses(shared.roles())) : null, nodeGate,
        shared.redisUrl());
    MetricsEndpoint metrics = metricsPage == null ? null : new MetricsEndpoint(vertx, metricsPage);
    HttpServerOptions options = new HttpServerOptions().setPort(port).setHost(shared.httpHost());
    Future<Void> loaded = certificate == null ? Future.succeededFuture() : certificate.load();
    return loaded.compose(v -> vertx.createHttpServer(certificate == null ? options : certificate.apply(options))
        .requestHandler(request -> {
          if (metrics != null && MetricsEndpoint.PATH.equals(request.path())) {
            if (certificate != null && certificate.asksClients()
                && !EdgeCertificate.verifiedClient(request.connection())) {
              Refusal refusal = Refusal.CLIENT_CERTIFICATE_NEEDED;
              send(request, ProbeAnswer.error(refusal.code(), refusal.message()));
            } else {
              metrics.handle(request);
            }
          } else {
            handle(request);
          }
        })
        .listen())
        .onSuccess(s -> {
          server = s;
          if (certificate != null) {
            certificate.watch(s::updateSSLOptions);
          }
        });
  }

  @Override
  public Future<?> stop() {
    if (certificate != null) {
      certificate.stop();
    }
    return Future.succeededFuture();
  }

  int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/health" -> readiness.health().onSuccess(answer -> send(request, answer));
      case "/ready" -> readiness.answer().onSuccess(answer -> send(request, answer));
      default -> send(request, ProbeAnswer.error(ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND.code()));
    }
  }

  private static void send(HttpServerRequest request, ProbeAnswer answer) {
    request.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json")
        .end(answer.body().toBuffer());
  }
}
