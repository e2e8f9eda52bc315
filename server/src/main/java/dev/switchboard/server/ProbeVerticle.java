package dev.switchboard.server;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedConfig;
import dev.switchboard.protocol.SharedConfig.RoleName;
import dev.switchboard.realtime.Readiness;
import dev.switchboard.realtime.Readiness.ProbeAnswer;
import dev.switchboard.realtime.RoleClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.Supplier;

/**
 * {@code /health} and {@code /ready} for a process that runs no edge (persistence, auth or presence only), on the
 * edge's address ({@code SB_HTTP_HOST:SB_HTTP_PORT}), so every Deployment is probed the same way. Ready means what it
 * means for the edge ({@link Readiness}); with the persistence role, the event log checked is this process's own.
 */
final class ProbeVerticle extends VerticleBase {

  private final Supplier<String> nodeGate;
  private final SharedConfig shared;
  private Readiness readiness;
  private HttpServer server;

  ProbeVerticle(Supplier<String> nodeGate, SharedConfig shared) {
    this.nodeGate = nodeGate;
    this.shared = shared;
  }

  @Override
  public Future<?> start() {
    // Auth and presence have no event log to check; persistence answers its own replays (the request stays local).
    readiness = new Readiness(shared.roles().contains(RoleName.PERSISTENCE)
        ? new RoleClient(vertx, RoleClient.localAddresses(shared.roles())) : null, nodeGate);
    return vertx.createHttpServer()
        .requestHandler(this::handle)
        .listen(shared.httpPort(), shared.httpHost())
        .onSuccess(s -> server = s);
  }

  int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/health" -> send(request, ProbeAnswer.HEALTHY);
      case "/ready" -> readiness.answer().onSuccess(answer -> send(request, answer));
      default -> send(request, ProbeAnswer.error(ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND.code()));
    }
  }

  private static void send(HttpServerRequest request, ProbeAnswer answer) {
    request.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json")
        .end(answer.body().toBuffer());
  }
}
