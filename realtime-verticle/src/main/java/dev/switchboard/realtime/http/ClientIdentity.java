package dev.switchboard.realtime.http;

import dev.switchboard.protocol.Principal;
import dev.switchboard.realtime.hook.Hooks;
import dev.switchboard.realtime.namespace.Namespaces;
import dev.switchboard.realtime.wire.Refusal;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Who a client without a JWT is (docs/PROTOCOL.md, Authentication): the user the node's connect hook names from the
 * request's cookies and chosen headers, else, for a subscriber whose sessions are all in namespaces with
 * {@code anonymous} on, an anonymous read-only principal of the {@code actorType} its URL declares. Used on its edge
 * loop by every transport, so a WebSocket, an SSE stream, a long poll and a REST call are identified alike.
 */
public final class ClientIdentity {

  /** The query parameter an anonymous subscriber declares its kind with ({@code display}, {@code kiosk}). */
  public static final String ACTOR_TYPE = "actorType";
  /** The actor type of an anonymous subscriber that declares none. */
  static final String DEFAULT_ACTOR_TYPE = "anonymous";
  private static final Pattern ACTOR_TYPE_FORM = Pattern.compile("[a-z0-9_-]{1,32}");

  private final Hooks hooks;
  private final Namespaces namespaces;

  public ClientIdentity(Hooks hooks, Namespaces namespaces) {
    this.hooks = hooks;
    this.namespaces = namespaces;
  }

  /**
   * The principal of a request without a JWT, or null when it has no credentials and may not be anonymous (it
   * needs a token). {@code headers} are the request's; {@code transport} is told to the connect hook;
   * {@code subscribing} are the sessions it would subscribe to, or null when it would not be a subscriber (REST);
   * {@code actorType} is its URL's, or null. A connect hook's refusal is final: it does not fall back to anonymous.
   */
  public Future<Principal> withoutToken(MultiMap headers, String transport, List<String> subscribing,
                                        String actorType) {
    Future<Principal> connected = hooks.connect(headers, transport);
    if (connected != null) {
      return connected;
    }
    if (subscribing == null || subscribing.isEmpty()
        || !subscribing.stream().allMatch(sessionId -> namespaces.of(sessionId).anonymous())) {
      return null;
    }
    if (actorType != null && !ACTOR_TYPE_FORM.matcher(actorType).matches()) {
      return Future.failedFuture(Refusal.BAD_ACTOR_TYPE.failure());
    }
    return Future.succeededFuture(Principal.anonymous(actorType == null ? DEFAULT_ACTOR_TYPE : actorType,
        namespaces.anonymousPatterns()));
  }

  /** What the connect hook is told an HTTP request is: {@code sse}, {@code poll} or {@code rest}. */
  static String transportOf(String path, boolean eventStream) {
    if (EventsEndpoint.PATH.equals(path)) {
      return eventStream ? "sse" : "rest";
    }
    return "/poll".equals(path) ? "poll" : "rest";
  }
}
