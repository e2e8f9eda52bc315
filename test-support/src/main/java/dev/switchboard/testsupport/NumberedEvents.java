package dev.switchboard.testsupport;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * Publishes numbered events over REST ({@code {"n": N}} as the payload) with the idempotency key the caller gives, so
 * that a publish retried with the same key, on any node, is stored once.
 */
public final class NumberedEvents {

  private final WebClient http;
  private final String token;
  private final WireObserver wire;

  public NumberedEvents(WebClient http, String token, WireObserver wire) {
    this.http = http;
    this.token = token;
    this.wire = wire;
  }

  /** Completes with the eventId the event is stored under; fails on anything but 200 or 201. */
  public Future<Long> publish(int port, String sessionId, String idempotencyKey, int n) {
    var request = http.post(port, "127.0.0.1", "/sessions/" + sessionId + "/events")
        .bearerTokenAuthentication(token)
        .timeout(15_000);
    return request.sendJsonObject(new JsonObject().put("eventType", "n").put("idempotencyKey", idempotencyKey)
            .put("payload", new JsonObject().put("n", n)))
        .onSuccess(response -> wire.httpAnswer(request, response))
        .compose(response -> response.statusCode() == 201 || response.statusCode() == 200
            ? Future.succeededFuture(Long.parseLong(response.bodyAsJsonObject().getString("eventId")))
            : Future.failedFuture("publish answered " + response.statusCode()));
  }
}
