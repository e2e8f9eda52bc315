package dev.switchboard.realtime.publish;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.AppendResult;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.RateRequest;
import dev.switchboard.protocol.SessionIds;
import dev.switchboard.protocol.Signal;
import dev.switchboard.realtime.RoleClient;
import dev.switchboard.realtime.hook.Hooks;
import dev.switchboard.realtime.http.ServerApiKey;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import dev.switchboard.realtime.metrics.RateLimitKind;
import dev.switchboard.realtime.namespace.NamespaceOptions;
import dev.switchboard.realtime.namespace.Namespaces;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.wire.RequestFailure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one publish path of the edge, for WebSocket frames and REST bodies alike: validate, check permission, charge
 * the rate limit, append. Signals take the same checks and are relayed instead of stored.
 */
public final class Publisher {

  static final int MAX_EVENT_TYPE = 128;
  static final int MAX_IDEMPOTENCY_KEY = 256;
  static final int MAX_USER_ID = 128;

  private final RoleClient roles;
  private final int maxNesting;
  private final Namespaces namespaces;
  private final Hooks hooks;
  private final EdgeMetrics metrics;

  public Publisher(RoleClient roles, int maxNesting, Namespaces namespaces, Hooks hooks, EdgeMetrics metrics) {
    this.roles = roles;
    this.maxNesting = maxNesting;
    this.namespaces = namespaces;
    this.hooks = hooks;
    this.metrics = metrics;
  }

  /** Stores an event whose fields come from {@code body}: {@code eventType}, {@code payload}, {@code idempotencyKey}. */
  public Future<AppendResult> publish(Principal principal, String sessionId, JsonObject body) {
    Checked checked;
    try {
      checked = check(principal, sessionId, body, false);
    } catch (RequestFailure refused) {
      return Future.failedFuture(refused);
    }
    Object key = body.getValue("idempotencyKey");
    if (key != null && (!(key instanceof String k) || k.isEmpty() || k.length() > MAX_IDEMPOTENCY_KEY)) {
      return Future.failedFuture(Refusal.BAD_IDEMPOTENCY_KEY.failure(MAX_IDEMPOTENCY_KEY));
    }
    String userId = principal.userId();
    if (ServerApiKey.isServer(principal)) {
      // A backend publishes on behalf of whoever it names, and is not rate limited per user.
      Object named = body.getValue("userId");
      if (named != null && (!(named instanceof String u) || u.isEmpty() || u.length() > MAX_USER_ID)) {
        return Future.failedFuture(Refusal.BAD_USER_ID.failure(MAX_USER_ID));
      }
      return roles.append(new AppendRequest(sessionId, checked.eventType, checked.payload, (String) named,
          (String) key));
    }
    // The rate first: a client past its budget never reaches the application's backend.
    return charge(principal, sessionId)
        .compose(v -> hooks.publish(principal, sessionId, checked.eventType, checked.payload))
        .compose(answer -> {
          String payload = answer == null ? checked.payload : Payloads.encode(answer.getValue("payload"), maxNesting);
          return payload == null ? Future.failedFuture(Refusal.HOOK_BAD_PAYLOAD.failure())
              : roles.append(new AppendRequest(sessionId, checked.eventType, payload, userId, (String) key));
        });
  }

  /** Relays a signal to the session's other subscribers on every edge. */
  public Future<Void> signal(Principal principal, String sessionId, JsonObject body, String originConnectionId) {
    Checked checked;
    try {
      checked = check(principal, sessionId, body, true);
    } catch (RequestFailure refused) {
      return Future.failedFuture(refused);
    }
    return charge(principal, sessionId).map(v -> {
      metrics.signalSent();
      roles.signal(new Signal(sessionId, principal.userId(), checked.eventType, checked.payload,
          originConnectionId));
      return null;
    });
  }

  /** The checks of a publish and of a signal: the session, the caller's rights, the event, its namespace's rules. */
  private Checked check(Principal principal, String sessionId, JsonObject body, boolean signal) {
    if (!SessionIds.isValid(sessionId)) {
      throw Refusal.BAD_SESSION_ID.failure();
    }
    if (principal.isAnonymous()) {
      throw Refusal.ANONYMOUS_READ_ONLY.failure();
    }
    if (!principal.canPublish(sessionId)) {
      throw Refusal.PUBLISH_FORBIDDEN.failure();
    }
    NamespaceOptions options = namespaces.of(sessionId);
    if (!options.clientPublish() && !ServerApiKey.isServer(principal)) {
      throw Refusal.BACKEND_PUBLISHES_ONLY.failure();
    }
    if (signal && !options.signals()) {
      throw Refusal.SIGNALS_OFF.failure();
    }
    Object eventType = body.getValue("eventType");
    if (!(eventType instanceof String type) || type.isEmpty() || type.length() > MAX_EVENT_TYPE) {
      throw Refusal.BAD_EVENT_TYPE.failure(MAX_EVENT_TYPE);
    }
    String payload = Payloads.encode(body.getValue("payload"), maxNesting);
    if (payload == null) {
      throw Refusal.PAYLOAD_TOO_DEEP.failure(maxNesting);
    }
    if (payload.length() > options.maxPayloadBytes() / 3
        && payload.getBytes(StandardCharsets.UTF_8).length > options.maxPayloadBytes()) {
      throw Refusal.PAYLOAD_TOO_LARGE.failure(options.maxPayloadBytes());
    }
    Schema schema = options.schemas().get(type);
    if (schema != null) {
      List<Error> errors = schema.validate(payload, InputFormat.JSON);
      if (!errors.isEmpty()) {
        throw Refusal.PAYLOAD_AGAINST_SCHEMA.failure(type, errors.get(0).toString());
      }
    }
    return new Checked(type, payload);
  }

  /** Charges the user's budget: their own in the session's namespace when it has a {@code publishRate}, else global. */
  private Future<Void> charge(Principal principal, String sessionId) {
    NamespaceOptions options = namespaces.of(sessionId);
    RateRequest request = options.ownPublishRate()
        ? new RateRequest(principal.userId(), 1, Namespaces.nameOf(sessionId), options.publishRate(),
            options.publishBurst())
        : new RateRequest(principal.userId(), 1);
    return roles.rate(request).compose(result -> {
      if (result.allowed()) {
        return Future.succeededFuture();
      }
      metrics.rateLimited(RateLimitKind.PUBLISH);
      return Future.failedFuture(new RequestFailure(Refusal.PUBLISH_RATE.code(), Refusal.PUBLISH_RATE.message(),
          result.retryAfterMs()));
    });
  }

  private record Checked(String eventType, String payload) {
  }
}
