package dev.switchboard.server;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.SharedConfig;
import dev.switchboard.protocol.SharedConfig.RoleName;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * {@code /health} and {@code /ready} for a process that runs no edge (persistence, auth or presence only), on the
 * edge's address ({@code SB_HTTP_HOST:SB_HTTP_PORT}), so every Deployment is probed the same way. Ready means: not draining, a member of its
 * cluster, and, with the persistence role, the event log answers.
 */
final class ProbeVerticle extends VerticleBase {

  private static final DeliveryOptions PROBE = new DeliveryOptions().setSendTimeout(2_000);

  private final Supplier<String> nodeGate;
  private final SharedConfig shared;
  private final boolean checksStore;
  private HttpServer server;

  ProbeVerticle(Supplier<String> nodeGate, SharedConfig shared) {
    this.nodeGate = nodeGate;
    this.shared = shared;
    this.checksStore = shared.roles().contains(RoleName.PERSISTENCE);
  }

  @Override
  public Future<?> start() {
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
      case "/health" -> answer(request, 200, "ok");
      case "/ready" -> ready().onComplete(ar -> {
        if (ar.succeeded()) {
          answer(request, 200, "ready");
        } else {
          answer(request, 503, ar.cause().getMessage());
        }
      });
      default -> answer(request, 404, "not_found");
    }
  }

  private Future<Void> ready() {
    String notReady = nodeGate.get();
    if (notReady != null) {
      return Future.failedFuture(notReady);
    }
    if (!checksStore) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().request(Addresses.EVENTS_REPLAY, ReplayRequest.head("_ready"), PROBE)
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture("the event store is not reachable"));
  }

  private static void answer(HttpServerRequest request, int status, String text) {
    JsonObject body = status == 200 ? new JsonObject().put("status", text)
        : new JsonObject().put("error", new JsonObject().put("code", status == 404 ? "not_found" : "unavailable")
            .put("message", text));
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
