package dev.switchboard.realtime.http;

import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /metrics}: the {@link MetricsPage}, scraped on a worker thread so the event loop that serves the
 * connections never waits for it, and answered on the request's own context.
 */
public final class MetricsEndpoint {

  public static final String PATH = "/metrics";

  private final Vertx vertx;
  private final MetricsPage page;

  public MetricsEndpoint(Vertx vertx, MetricsPage page) {
    this.vertx = vertx;
    this.page = page;
  }

  public void handle(HttpServerRequest request) {
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    vertx.executeBlocking(() -> page.scrape(accept), false)
        .onComplete(ar -> {
          if (ar.failed()) {
            request.response().setStatusCode(ErrorCode.INTERNAL.httpStatus())
                .putHeader("Content-Type", "application/json")
                .end(HttpErrors.body(ErrorCode.INTERNAL, ErrorCode.INTERNAL.code()).toBuffer());
            return;
          }
          request.response().putHeader("Content-Type", ar.result().contentType())
              .putHeader("Cache-Control", "no-cache").end(ar.result().body());
        });
  }
}
