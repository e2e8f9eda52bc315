package dev.switchboard.realtime.http;

import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.SessionGrant;
import dev.switchboard.realtime.RoleClient;
import dev.switchboard.realtime.SessionTokens;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The session tokens of an SSE stream or a long poll (docs/PROTOCOL.md, Per-session tokens): {@code sessionToken}
 * parameters, any number, each matched to the request's sessions by its {@code session} claim. A token that auth
 * refuses, that is another user's, that grants a session the request does not name, or that is past its {@code exp}
 * grants nothing, and never fails the request by itself: a session left without a right is refused as any other
 * ({@code 403} naming it).
 */
final class SessionTokenParams {

  static final String PARAM = "sessionToken";

  private SessionTokenParams() {
  }

  /** The grants of the request's session tokens that add a session its user's token does not allow already. */
  static Future<List<SessionGrant>> grants(RoleClient roles, RoutingContext ctx, Principal user,
                                           List<String> sessions, long now) {
    List<String> tokens = ctx.queryParam(PARAM);
    if (tokens.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Future<SessionGrant>> verified = tokens.stream()
        .map(token -> roles.verifySession(token).otherwise((SessionGrant) null)).toList();
    return Future.join(verified).map(all -> {
      List<SessionGrant> grants = new ArrayList<>();
      for (Future<SessionGrant> each : verified) {
        SessionGrant grant = each.result();
        if (grant != null && sessions.contains(grant.sessionId()) && !user.canSubscribe(grant.sessionId())
            && SessionTokens.mismatch(grant, user.userId(), grant.sessionId(), now) == null) {
          grants.add(grant);
        }
      }
      return grants;
    });
  }

  /** {@code user}, widened by every grant. */
  static Principal widen(Principal user, List<SessionGrant> grants) {
    Principal widened = user;
    for (SessionGrant grant : grants) {
      widened = grant.widen(widened);
    }
    return widened;
  }
}
