package dev.switchboard.realtime.http;

import dev.switchboard.protocol.DevTokenRequest;
import dev.switchboard.protocol.AnonymousCounts;
import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.SessionIds;
import dev.switchboard.realtime.Edge;
import dev.switchboard.realtime.Readiness;
import dev.switchboard.realtime.wire.Frames;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.wire.StrictJson;
import dev.switchboard.realtime.wire.WholeNumbers;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The REST surface of docs/PROTOCOL.md (REST): publish, history, presence, read positions ({@link ReadPositionsApi}),
 * health, readiness, and the dev-token door.
 */
public final class RestApi {

  static final int MAX_HISTORY_LIMIT = 1000;

  private final Edge edge;
  private final Readiness readiness;

  public RestApi(Edge edge, Readiness readiness) {
    this.edge = edge;
    this.readiness = readiness;
  }

  /**
   * {@code POST /dev/token}, mounted before the router's CORS handler: a development token is never minted for a page
   * of another origin, and its answer carries no CORS header (docs/PROTOCOL.md, REST).
   */
  public void mountDevTokens(Router router, Handler<RoutingContext> refuseWhileDraining) {
    if (edge.config.devTokens()) {
      router.post("/dev/token").handler(BodyHandler.create(false).setBodyLimit(edge.config.maxFrameBytes()))
          .handler(refuseWhileDraining).handler(RestApi::sameOriginOnly).handler(this::devToken);
    }
  }

  private static void sameOriginOnly(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    // The request's authority: its Host header over HTTP/1.1, its :authority over HTTP/2 (which has no Host).
    HostAndPort authority = ctx.request().authority();
    String host = authority == null ? null
        : authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
    if (AllowedOrigins.sameOrigin(origin, host)) {
      ctx.next();
    } else {
      HttpErrors.send(ctx, Refusal.ORIGIN_FORBIDDEN);
    }
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(edge.config.maxFrameBytes());
    router.post("/sessions/:sessionId/events").handler(body).handler(this::publish);
    router.get("/sessions/:sessionId/events").handler(this::history);
    router.get("/sessions/:sessionId/presence").handler(this::presence);
    new ReadPositionsApi(edge).mount(router, body);
    router.get("/health").handler(ctx -> readiness.health().onSuccess(answer -> answer(ctx, answer)));
    router.get("/ready").handler(this::ready);
  }

  private void publish(RoutingContext ctx) {
    withSession(ctx, (principal, sessionId) -> {
      JsonObject body = StrictJson.object(ctx.body().buffer());
      if (body == null) {
        HttpErrors.send(ctx, Refusal.BODY_NOT_AN_OBJECT);
        return;
      }
      edge.publisher.publish(principal, sessionId, body).onComplete(ar -> {
        if (ar.failed()) {
          HttpErrors.send(ctx, ar.cause());
        } else {
          json(ctx, ar.result().duplicate() ? 200 : 201, new JsonObject()
              .put("eventId", Long.toString(ar.result().seq()))
              .put("timestamp", Frames.timestamp(ar.result().timestamp())));
        }
      });
    });
  }

  private void history(RoutingContext ctx) {
    readerOfSession(ctx, (principal, sessionId) -> {
      String afterParam = ctx.request().getParam("after");
      Long after = afterParam == null ? Long.valueOf(0) : WholeNumbers.parse(afterParam);
      Integer limit = parseLimit(ctx.request().getParam("limit"));
      if (after == null || limit == null) {
        HttpErrors.send(ctx, Refusal.BAD_HISTORY_PARAMETERS, MAX_HISTORY_LIMIT);
        return;
      }
      edge.roles.replay(new ReplayRequest(sessionId, after, Long.MAX_VALUE, limit)).onComplete(ar -> {
        if (ar.failed()) {
          HttpErrors.send(ctx, ar.cause());
        } else {
          ctx.response().putHeader("Content-Type", "application/json").end(eventsAnswer(ar.result(), after));
        }
      });
    });
  }

  /** A history page: the events after {@code after}, and {@code reset} when that position cannot be served. */
  static Buffer eventsAnswer(ReplayResult result, long after) {
    List<Buffer> frames = new ArrayList<>(result.events().size());
    result.events().forEach(event -> frames.add(Frames.event(event)));
    long last = result.events().isEmpty() ? after : result.events().get(result.events().size() - 1).seq();
    JsonObject reset = result.reset() == null ? null : Frames.resetInfo(result.reset(), result.head());
    return Frames.eventPage(frames, last, reset);
  }

  private static Integer parseLimit(String param) {
    if (param == null) {
      return 100;
    }
    Long limit = WholeNumbers.parse(param);
    if (limit == null || limit < 1) {
      return null;
    }
    return (int) Math.min(limit, MAX_HISTORY_LIMIT);
  }

  private void presence(RoutingContext ctx) {
    readerOfSession(ctx, (principal, sessionId) -> {
      if (!edge.presence.tracks(sessionId)) {
        HttpErrors.send(ctx, Refusal.PRESENCE_OFF);
        return;
      }
      String limitParam = ctx.request().getParam("limit");
      Long limit = limitParam == null ? Long.valueOf(PresenceQuery.DEFAULT_LIMIT) : WholeNumbers.parse(limitParam);
      if (limit == null) {
        HttpErrors.send(ctx, Refusal.BAD_PRESENCE_LIMIT, PresenceQuery.MAX_LIMIT);
        return;
      }
      PresenceQuery query = new PresenceQuery(sessionId, ctx.request().getParam("cursor"),
          (int) Math.min(limit, PresenceQuery.MAX_LIMIT));
      edge.roles.presenceState(query).onComplete(ar -> {
        if (ar.failed()) {
          HttpErrors.send(ctx, ar.cause());
        } else {
          JsonObject answer = new JsonObject().put("users", ar.result().usersJson()).put("count", ar.result().count())
              .put("anonymous", AnonymousCounts.toJson(ar.result().anonymous()));
          if (ar.result().nextCursor() != null) {
            answer.put("nextCursor", ar.result().nextCursor());
          }
          json(ctx, 200, answer);
        }
      });
    });
  }

  private void ready(RoutingContext ctx) {
    readiness.answer().onSuccess(answer -> answer(ctx, answer));
  }

  private static void answer(RoutingContext ctx, Readiness.ProbeAnswer answer) {
    json(ctx, answer.status(), answer.body());
  }

  private void devToken(RoutingContext ctx) {
    JsonObject body = StrictJson.object(ctx.body().buffer());
    if (body == null || !(body.getValue("sub") instanceof String sub) || sub.isEmpty()) {
      HttpErrors.send(ctx, Refusal.DEV_TOKEN_WITHOUT_SUB);
      return;
    }
    DevTokenRequest request;
    try {
      request = DevTokenRequest.fromJson(body);
    } catch (RuntimeException badField) {
      HttpErrors.send(ctx, Refusal.BAD_DEV_TOKEN_REQUEST);
      return;
    }
    edge.roles.devToken(request).onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.send(ctx, ar.cause());
      } else {
        json(ctx, 200, new JsonObject().put("token", ar.result().token()));
      }
    });
  }

  /** Validates the path's session id and authenticates the caller before running {@code action}. */
  private void withSession(RoutingContext ctx, BiConsumer<Principal, String> action) {
    String sessionId = ctx.pathParam("sessionId");
    if (!SessionIds.isValid(sessionId)) {
      HttpErrors.send(ctx, Refusal.BAD_SESSION_ID);
      return;
    }
    edge.access.caller(ctx).onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.send(ctx, ar.cause());
      } else {
        action.accept(ar.result(), sessionId);
      }
    });
  }

  /** Like {@link #withSession}, for a caller that must also be allowed to read the session. */
  private void readerOfSession(RoutingContext ctx, BiConsumer<Principal, String> action) {
    String sessionId = ctx.pathParam("sessionId");
    if (!SessionIds.isValid(sessionId)) {
      HttpErrors.send(ctx, Refusal.BAD_SESSION_ID);
      return;
    }
    edge.access.reader(ctx, List.of(sessionId), true, principal -> action.accept(principal, sessionId));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }

}
