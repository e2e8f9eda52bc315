package dev.switchboard.realtime.poll;

import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.SessionIds;
import dev.switchboard.realtime.Edge;
import dev.switchboard.realtime.http.ConnectionGuard;
import dev.switchboard.realtime.http.ConnectionRules;
import dev.switchboard.realtime.http.EventsEndpoint;
import dev.switchboard.realtime.http.HttpErrors;
import dev.switchboard.realtime.metrics.Transport;
import dev.switchboard.realtime.positions.ReadPositions;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.wire.WholeNumbers;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/** {@code GET /poll} of docs/PROTOCOL.md (Long polling): checks the request, then one {@link LongPoll} answers it. */
public final class PollEndpoint {

  public static final String PATH = "/poll";
  static final long DEFAULT_TIMEOUT_MS = 25_000;
  static final long MAX_TIMEOUT_MS = ConnectionRules.LONGEST_POLL.toMillis();

  private final Edge edge;

  public PollEndpoint(Edge edge) {
    this.edge = edge;
  }

  public void poll(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String sessionId = request.getParam("sessionId");
    String from = request.getParam("fromEventId");
    Long fromEventId = WholeNumbers.parse(from);
    String timeoutParam = request.getParam("timeoutMs");
    Long timeoutMs = timeoutParam == null ? Long.valueOf(DEFAULT_TIMEOUT_MS) : WholeNumbers.parse(timeoutParam);
    if (!SessionIds.isValid(sessionId)) {
      HttpErrors.send(ctx, Refusal.BAD_SESSION_ID);
      return;
    }
    if ((from != null && fromEventId == null) || timeoutMs == null) {
      HttpErrors.send(ctx, Refusal.BAD_POLL_PARAMETERS);
      return;
    }
    edge.access.subscriber(ctx, List.of(sessionId), principal -> startingPoint(principal, sessionId, fromEventId)
        .onSuccess(start -> {
          ConnectionGuard.Admission admission = edge.guard.admit(request, false, edge.timers.now());
          if (admission.refusal() != null) {
            edge.metrics.refused(admission.refusal());
            HttpErrors.send(ctx, admission.refusal());
          } else {
            edge.metrics.fellBack(Transport.of(request.getParam(EventsEndpoint.FALLBACK_FROM)), Transport.POLL);
            new LongPoll(ctx, edge, principal, start, admission.release())
                .start(sessionId, start, Math.min(timeoutMs, MAX_TIMEOUT_MS));
          }
        }));
  }

  /** The poll's position: its {@code fromEventId}, or else the user's read position (docs/PROTOCOL.md). */
  private Future<Long> startingPoint(Principal principal, String sessionId, Long fromEventId) {
    if (fromEventId != null) {
      return Future.succeededFuture(fromEventId);
    }
    return edge.readPositions.forSubscribing(principal, List.of(sessionId))
        .map(positions -> ReadPositions.startAfter(principal, sessionId, null, positions.of(sessionId)));
  }
}
