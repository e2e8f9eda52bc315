package dev.switchboard.realtime.http;

import dev.switchboard.protocol.SessionIds;
import dev.switchboard.realtime.Edge;
import dev.switchboard.realtime.wire.Frames;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.wire.StrictJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;

/**
 * The read-position endpoints of docs/PROTOCOL.md (REST): the caller's own sessions with their unread counts, and
 * moving the caller's read position in one session forward. A user's token only: the server API key has no user.
 *
 * <pre>
 * GET /me/sessions  ->  {"sessions":[{"sessionId":"user:ada","lastEventId":"9","deliveredEventId":"9",
 *                                     "readEventId":"6","unread":3}]}
 * POST /me/sessions/user:ada/read {"eventId":"9"}  ->  {"sessionId":"user:ada",...,"readEventId":"9","unread":0}
 * </pre>
 */
final class ReadPositionsApi {

  /** The most sessions a listing may name. */
  static final int MAX_NAMED = 100;

  private final Edge edge;

  ReadPositionsApi(Edge edge) {
    this.edge = edge;
  }

  void mount(Router router, BodyHandler body) {
    router.get("/me/sessions").handler(this::list);
    router.post("/me/sessions/:sessionId/read").handler(body).handler(this::read);
  }

  private void list(RoutingContext ctx) {
    List<String> named = ctx.request().params().getAll("sessionId");
    if (named.size() > MAX_NAMED || !named.stream().allMatch(SessionIds::isValid)) {
      HttpErrors.send(ctx, Refusal.BAD_LISTED_SESSIONS, MAX_NAMED);
      return;
    }
    edge.access.reader(ctx, named, false, principal -> edge.readPositions.list(principal, named).onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.send(ctx, ar.cause());
        return;
      }
      JsonArray sessions = new JsonArray();
      ar.result().forEach(positions -> sessions.add(Frames.positions(positions)));
      ok(ctx, new JsonObject().put("sessions", sessions));
    }));
  }

  private void read(RoutingContext ctx) {
    String sessionId = ctx.pathParam("sessionId");
    if (!SessionIds.isValid(sessionId)) {
      HttpErrors.send(ctx, Refusal.BAD_SESSION_ID);
      return;
    }
    edge.access.reader(ctx, List.of(sessionId), false, principal -> {
      JsonObject body = StrictJson.object(ctx.body().buffer());
      if (body == null) {
        HttpErrors.send(ctx, Refusal.BODY_NOT_AN_OBJECT);
        return;
      }
      edge.readPositions.markRead(principal, sessionId, body.getValue("eventId"), null).onComplete(ar -> {
        if (ar.failed()) {
          HttpErrors.send(ctx, ar.cause());
        } else {
          ok(ctx, Frames.positions(ar.result()));
        }
      });
    });
  }

  private static void ok(RoutingContext ctx, JsonObject body) {
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
