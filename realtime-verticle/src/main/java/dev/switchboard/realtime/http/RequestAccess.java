package dev.switchboard.realtime.http;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.SessionGrant;
import dev.switchboard.realtime.RoleClient;
import dev.switchboard.realtime.hook.Hooks;
import dev.switchboard.realtime.wire.Refusal;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Who an HTTP request is, and whether it may read the sessions it names: the one check of REST reads, SSE streams and
 * long polls (docs/PROTOCOL.md, Authentication). A WebSocket checks its token itself, after the upgrade.
 */
public final class RequestAccess {

  private final RoleClient roles;
  private final ServerApiKey apiKey;
  private final Hooks hooks;
  private final ClientIdentity identity;

  public RequestAccess(RoleClient roles, ServerApiKey apiKey, Hooks hooks, ClientIdentity identity) {
    this.identity = identity;
    this.roles = roles;
    this.apiKey = apiKey;
    this.hooks = hooks;
  }

  /** The caller of a REST request: the server API key when one is presented, else the user of the request's token. */
  Future<Principal> caller(RoutingContext ctx) {
    String presentedKey = ctx.request().getHeader(ServerApiKey.HEADER);
    if (presentedKey != null) {
      return apiKey.matches(presentedKey)
          ? Future.succeededFuture(ServerApiKey.PRINCIPAL)
          : Future.failedFuture(Refusal.INVALID_API_KEY.failure());
    }
    return user(ctx, null);
  }

  /** Succeeds when the request carries the server API key: the control API's one check (docs/PROTOCOL.md). */
  public Future<Void> server(RoutingContext ctx) {
    String presentedKey = ctx.request().getHeader(ServerApiKey.HEADER);
    if (presentedKey == null) {
      return Future.failedFuture(Refusal.API_KEY_REQUIRED.failure());
    }
    return apiKey.matches(presentedKey) ? Future.succeededFuture()
        : Future.failedFuture(Refusal.INVALID_API_KEY.failure());
  }

  /**
   * Runs {@code then} with the caller once it is known that it may read every one of {@code sessions}; otherwise answers
   * 401, or 403 naming each session the token does not allow (a stream reopened with a narrower token is refused
   * whole, but its client learns which sessions to drop). The request is paused meanwhile. {@code apiKey}: whether
   * the server API key is accepted (REST only).
   */
  public void reader(RoutingContext ctx, List<String> sessions, boolean apiKey, Consumer<Principal> then) {
    reader(ctx, sessions, apiKey ? caller(ctx) : user(ctx, null), then);
  }

  private void reader(RoutingContext ctx, List<String> sessions, Future<Principal> caller, Consumer<Principal> then) {
    ctx.request().pause();
    caller.onComplete(ar -> {
      ctx.request().resume();
      if (ar.failed()) {
        HttpErrors.send(ctx, ar.cause());
        return;
      }
      List<String> forbidden = sessions.stream().filter(sessionId -> !ar.result().canSubscribe(sessionId)).toList();
      if (forbidden.isEmpty()) {
        then.accept(ar.result());
      } else {
        HttpErrors.refuseSessions(ctx, forbidden);
      }
    });
  }

  /**
   * Like {@link #reader}, for a subscription (an SSE stream, a long poll): the subscribe hooks of the sessions'
   * namespaces are asked too, and a refusal answers 403 naming the sessions refused (503 when a hook could not
   * answer). Without a token, the subscriber may be anonymous ({@link ClientIdentity}).
   */
  public void subscriber(RoutingContext ctx, List<String> sessions, Consumer<Principal> then) {
    subscriber(ctx, sessions, (principal, grants) -> then.accept(principal));
  }

  /**
   * Like {@link #subscriber(RoutingContext, List, Consumer)}, with the request's session tokens
   * ({@link SessionTokenParams}): the caller comes widened by their grants, which {@code then} gets too (only those
   * that add a session the user's token does not allow), so that a stream can end each session at its expiry.
   */
  public void subscriber(RoutingContext ctx, List<String> sessions, BiConsumer<Principal, List<SessionGrant>> then) {
    List<SessionGrant> grants = new ArrayList<>();
    Future<Principal> caller = user(ctx, sessions).compose(user -> SessionTokenParams.grants(roles, ctx, user,
        sessions, System.currentTimeMillis()).map(granted -> {
          grants.addAll(granted);
          return SessionTokenParams.widen(user, granted);
        }));
    reader(ctx, sessions, caller, principal -> {
      ctx.request().pause();
      hooks.refusedOf(principal, sessions).onComplete(ar -> {
        ctx.request().resume();
        List<Throwable> failures = ar.result().stream().map(Map.Entry::getValue).toList();
        if (failures.isEmpty()) {
          then.accept(principal, grants);
        } else if (failures.stream().anyMatch(f -> ErrorCode.of(f) != ErrorCode.FORBIDDEN)) {
          HttpErrors.send(ctx, failures.stream().filter(f -> ErrorCode.of(f) != ErrorCode.FORBIDDEN).findFirst()
              .orElseThrow());
        } else {
          HttpErrors.refuseSessions(ctx, failures.get(0).getMessage(),
              ar.result().stream().map(Map.Entry::getKey).toList());
        }
      });
    });
  }

  /** The user of the request's token, else whom {@link ClientIdentity} finds ({@code subscribing}: see there). */
  private Future<Principal> user(RoutingContext ctx, List<String> subscribing) {
    String token = Tokens.of(ctx.request());
    if (token != null) {
      return roles.verify(token);
    }
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    Future<Principal> identified = identity.withoutToken(ctx.request().headers(),
        ClientIdentity.transportOf(ctx.request().path(), accept != null && accept.contains("text/event-stream")),
        subscribing, ctx.request().getParam(ClientIdentity.ACTOR_TYPE));
    return identified != null ? identified : Future.failedFuture(Refusal.NO_TOKEN.failure());
  }
}
