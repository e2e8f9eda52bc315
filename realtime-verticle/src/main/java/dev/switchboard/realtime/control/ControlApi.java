package dev.switchboard.realtime.control;

import dev.switchboard.protocol.ControlOrder;
import dev.switchboard.protocol.RevokeRequest;
import dev.switchboard.protocol.SessionIds;
import dev.switchboard.realtime.Edge;
import dev.switchboard.realtime.canary.EdgeMembers;
import dev.switchboard.realtime.http.HttpErrors;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.wire.StrictJson;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;

/**
 * The control API (docs/PROTOCOL.md, Control API), for an application's backend or an operator holding the server
 * API key: disconnect a user everywhere, unsubscribe a user from a session, revoke a token by {@code jti}, count a
 * session's subscribers. Orders are published to every edge loop of the cluster ({@link ControlOrders}); a revocation
 * is stored by auth first, so a revoked token is refused by every node from the moment the answer is sent.
 */
public final class ControlApi {

  public static final String PREFIX = "/admin";
  /** The longest user id, as for a publish's {@code userId}. */
  static final int MAX_USER_ID = 128;
  /** The longest reason (bytes of UTF-8) an operator may give: it travels in a close frame, which holds 123. */
  static final int MAX_REASON = 80;
  static final int MAX_JTI = 256;

  private final Edge edge;
  private final EdgeMembers members;

  public ControlApi(Edge edge, EdgeMembers members) {
    this.edge = edge;
    this.members = members;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(4096);
    router.post(PREFIX + "/users/:userId/disconnect").handler(body).handler(serverOnly(this::disconnect));
    router.post(PREFIX + "/users/:userId/sessions/:sessionId/unsubscribe").handler(serverOnly(this::unsubscribe));
    router.post(PREFIX + "/tokens/revoke").handler(body).handler(serverOnly(this::revoke));
    router.get(PREFIX + "/sessions/:sessionId/subscribers").handler(serverOnly(this::subscribers));
  }

  /** Runs {@code action} for a request with the server API key; anything else is refused with 401. */
  private Handler<RoutingContext> serverOnly(Handler<RoutingContext> action) {
    return ctx -> edge.access.server(ctx).onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.send(ctx, ar.cause());
      } else {
        action.handle(ctx);
      }
    });
  }

  private void disconnect(RoutingContext ctx) {
    String userId = userId(ctx);
    if (userId == null) {
      return;
    }
    JsonObject body = ctx.body().length() <= 0 ? new JsonObject() : StrictJson.object(ctx.body().buffer());
    Object reconnect = body == null ? null : body.getValue("reconnect", Boolean.TRUE);
    Object reason = body == null ? null : body.getValue("reason");
    if (!(reconnect instanceof Boolean again) || (reason != null && !validReason(reason))) {
      HttpErrors.send(ctx, Refusal.BAD_DISCONNECT, MAX_REASON);
      return;
    }
    edge.roles.order(ControlOrder.disconnect(userId, again, (String) reason));
    ctx.response().setStatusCode(202).end();
  }

  private void unsubscribe(RoutingContext ctx) {
    String userId = userId(ctx);
    if (userId == null) {
      return;
    }
    String sessionId = ctx.pathParam("sessionId");
    if (!SessionIds.isValid(sessionId)) {
      HttpErrors.send(ctx, Refusal.BAD_SESSION_ID);
      return;
    }
    edge.roles.order(ControlOrder.unsubscribe(userId, sessionId));
    ctx.response().setStatusCode(202).end();
  }

  private void revoke(RoutingContext ctx) {
    JsonObject body = StrictJson.object(ctx.body().buffer());
    Object jti = body == null ? null : body.getValue("jti");
    Object exp = body == null ? null : body.getValue("exp");
    if (!(jti instanceof String tokenId) || tokenId.isEmpty() || tokenId.length() > MAX_JTI
        || !(exp instanceof Number seconds) || seconds.doubleValue() <= 0) {
      HttpErrors.send(ctx, Refusal.BAD_REVOKE, MAX_JTI);
      return;
    }
    long expiresAt = (long) Math.ceil(seconds.doubleValue() * 1000);
    edge.roles.revoke(new RevokeRequest(tokenId, expiresAt)).onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.send(ctx, ar.cause());
      } else {
        edge.roles.order(ControlOrder.revoked(tokenId));
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  private void subscribers(RoutingContext ctx) {
    String sessionId = ctx.pathParam("sessionId");
    if (!SessionIds.isValid(sessionId)) {
      HttpErrors.send(ctx, Refusal.BAD_SESSION_ID);
      return;
    }
    SubscriberCounts.clusterWide(edge.vertx, members, sessionId).onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.send(ctx, ar.cause());
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(ar.result().toBuffer());
      }
    });
  }

  /** The path's user id, or null once the request is answered with 400. */
  private static String userId(RoutingContext ctx) {
    String userId = ctx.pathParam("userId");
    if (userId == null || userId.isEmpty() || userId.length() > MAX_USER_ID) {
      HttpErrors.send(ctx, Refusal.BAD_USER_ID, MAX_USER_ID);
      return null;
    }
    return userId;
  }

  /** 1-80 bytes of UTF-8 and no control character: it ends up in a close frame and in front of a user. */
  private static boolean validReason(Object reason) {
    return reason instanceof String text && !text.isEmpty()
        && text.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON
        && text.chars().noneMatch(Character::isISOControl);
  }
}
