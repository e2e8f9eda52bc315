package dev.switchboard.realtime.hook;

import dev.switchboard.protocol.Principal;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import dev.switchboard.realtime.namespace.Namespaces;
import dev.switchboard.realtime.wire.Refusal;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks the application's backend (docs/PROTOCOL.md, Backend hooks): who is this connection without a JWT, may this
 * user subscribe to this session, may this publish be stored (and with which payload). One per edge loop, calling
 * from the loop with Vert.x's web client, so a slow hook holds no thread; a session whose namespace has no hook costs
 * nothing. Each answer is a future that fails with the refusal the caller puts on the wire.
 */
public final class Hooks {

  private static final Logger LOG = LoggerFactory.getLogger(Hooks.class);
  /** The longest refusal reason taken from a backend's answer. */
  static final int MAX_REASON = 100;
  /** Connections to the backends per loop; more calls than that queue in the pool. */
  static final int POOL_SIZE = 32;

  private final Namespaces namespaces;
  private final HookCache cache;
  private final EdgeMetrics metrics;
  private final WebClient client;

  public Hooks(Vertx vertx, Namespaces namespaces, HookCache cache, EdgeMetrics metrics) {
    this.namespaces = namespaces;
    this.cache = cache;
    this.metrics = metrics;
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("Switchboard-hooks").setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(POOL_SIZE));
  }

  /**
   * Who a request without a JWT is, by the node's connect hook: null when there is no connect hook or the request
   * carries none of the headers it forwards (it has no credentials); else the principal of the backend's allow answer
   * (reused for the hook's {@code cacheSec}, never past its {@code exp}), or a failure with the refusal.
   * {@code transport}: {@code websocket}, {@code sse}, {@code poll} or {@code rest}, told to the backend.
   */
  public Future<Principal> connect(MultiMap requestHeaders, String transport) {
    HookTarget hook = namespaces.connectHook();
    if (hook == null) {
      return null;
    }
    JsonObject forwarded = ConnectAnswers.forwarded(hook, requestHeaders);
    if (forwarded.isEmpty()) {
      return null;
    }
    String key = ConnectAnswers.key(forwarded);
    Principal cached = cache.connected(hook, key);
    if (cached != null) {
      metrics.hookCalled(HookKind.CONNECT, "cached", 0);
      return Future.succeededFuture(cached);
    }
    JsonObject body = new JsonObject().put("hook", HookKind.CONNECT.label()).put("transport", transport)
        .put("headers", forwarded);
    return call(hook, body.encode()).map(answer -> {
      Principal principal = ConnectAnswers.principal(answer, System.currentTimeMillis());
      cache.rememberConnected(hook, key, principal);
      return principal;
    });
  }

  /** Succeeds when {@code principal} may subscribe to {@code sessionId} (at once without a subscribe hook). */
  public Future<Void> subscribe(Principal principal, String sessionId) {
    HookTarget hook = namespaces.of(sessionId).hook(HookKind.SUBSCRIBE);
    if (hook == null) {
      return Future.succeededFuture();
    }
    if (cache.allowed(hook, principal.userId(), sessionId)) {
      metrics.hookCalled(HookKind.SUBSCRIBE, "cached", 0);
      return Future.succeededFuture();
    }
    JsonObject body = new JsonObject().put("hook", HookKind.SUBSCRIBE.label()).put("userId", principal.userId())
        .put("sessionId", sessionId);
    return call(hook, body.encode()).compose(answer -> {
      cache.remember(hook, principal.userId(), sessionId);
      return Future.<Void>succeededFuture();
    });
  }

  /**
   * The sessions of {@code sessionIds} the subscribe hooks did not allow, each with its refusal, in request order
   * (empty when all may be subscribed to); never fails.
   */
  public Future<List<Map.Entry<String, Throwable>>> refusedOf(Principal principal, List<String> sessionIds) {
    List<Future<Void>> answers = new ArrayList<>();
    sessionIds.forEach(sessionId -> answers.add(subscribe(principal, sessionId)));
    return Future.join(answers).transform(ar -> {
      List<Map.Entry<String, Throwable>> refused = new ArrayList<>();
      for (int i = 0; i < answers.size(); i++) {
        if (answers.get(i).failed()) {
          refused.add(Map.entry(sessionIds.get(i), answers.get(i).cause()));
        }
      }
      return Future.succeededFuture(refused);
    });
  }

  /**
   * The backend's answer to a publish ({@code payload} is its JSON text): null to store the payload as it is, or an
   * answer whose {@code payload} replaces it; fails with the refusal when the backend refuses. At once without a
   * publish hook.
   */
  public Future<JsonObject> publish(Principal principal, String sessionId, String eventType, String payload) {
    HookTarget hook = namespaces.of(sessionId).hook(HookKind.PUBLISH);
    if (hook == null) {
      return Future.succeededFuture();
    }
    String body = new JsonObject().put("hook", HookKind.PUBLISH.label()).put("userId", principal.userId())
        .put("sessionId", sessionId).put("eventType", eventType).encode();
    // The payload goes in as the JSON text it already is, never re-encoded.
    body = body.substring(0, body.length() - 1) + ",\"payload\":" + payload + "}";
    return call(hook, body).map(answer -> answer != null && answer.containsKey("payload") ? answer : null);
  }

  /** Posts {@code body}; the backend's answer when it allows, else a failure with the refusal. */
  private Future<JsonObject> call(HookTarget hook, String body) {
    if (hook.inFlight.incrementAndGet() > hook.maxConcurrent) {
      hook.inFlight.decrementAndGet();
      return failed(hook, "busy", System.nanoTime());
    }
    long started = System.nanoTime();
    String signature = HookSignature.sign(namespaces.hookSecret(), System.currentTimeMillis() / 1000, body);
    return client.postAbs(hook.url.toString())
        .timeout(hook.timeoutMs)
        .putHeader("Content-Type", "application/json")
        .putHeader(HookSignature.HEADER, signature)
        .sendBuffer(Buffer.buffer(body))
        .andThen(ar -> hook.inFlight.decrementAndGet())
        .transform(ar -> {
          if (ar.failed()) {
            return failed(hook, ar.cause().getClass().getSimpleName(), started);
          }
          return answered(hook, ar.result(), started);
        });
  }

  private Future<JsonObject> answered(HookTarget hook, HttpResponse<Buffer> response, long started) {
    JsonObject answer;
    try {
      answer = response.statusCode() / 100 == 2 ? response.bodyAsJsonObject() : null;
    } catch (RuntimeException notJson) {
      answer = null;
    }
    if (answer == null || !(answer.getValue("allow") instanceof Boolean allow)) {
      return failed(hook, "answered " + response.statusCode() + " without {\"allow\":true|false}", started);
    }
    if (!allow) {
      metrics.hookCalled(hook.kind, "refuse", System.nanoTime() - started);
      String reason = reason(answer.getValue("reason"));
      return Future.failedFuture(hook.kind == HookKind.CONNECT ? ConnectAnswers.refusal(answer, reason)
          : Refusal.HOOK_REFUSED.failure(reason));
    }
    if (hook.kind == HookKind.CONNECT && ConnectAnswers.principal(answer, System.currentTimeMillis()) == null) {
      return failed(hook, "answered an allow without a userId, with grants that are not strings, or past its exp",
          started);
    }
    boolean replaces = hook.kind == HookKind.PUBLISH && answer.containsKey("payload");
    metrics.hookCalled(hook.kind, replaces ? "replace" : "allow", System.nanoTime() - started);
    return Future.succeededFuture(answer);
  }

  /** A hook that could not answer: refused (503), or let through when its {@code onFailure} says so. */
  private Future<JsonObject> failed(HookTarget hook, String why, long started) {
    metrics.hookCalled(hook.kind, "failure", System.nanoTime() - started);
    LOG.warn("{} failed ({}): {}", hook, why, hook.allowOnFailure ? "allowing, as its onFailure says" : "refusing");
    return hook.allowOnFailure ? Future.succeededFuture(null)
        : Future.failedFuture(Refusal.HOOK_UNAVAILABLE.failure(hook.kind.label()));
  }

  /** The backend's reason, made fit for a close frame and a user: printable, at most 100 characters. */
  private static String reason(Object reason) {
    if (!(reason instanceof String text) || text.isBlank()) {
      return "no reason given";
    }
    String printable = text.codePoints().filter(c -> !Character.isISOControl(c))
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return printable.length() > MAX_REASON ? printable.substring(0, MAX_REASON) : printable;
  }

  public void close() {
    client.close();
  }
}
