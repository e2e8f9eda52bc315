package dev.switchboard.realtime.http;

import dev.switchboard.realtime.wire.Refusal;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Every client TCP connection of the edge, from its accept to its close (docs/PROTOCOL.md, Limits; docs/ARCHITECTURE.md,
 * Connections that never finish). It counts each connection against its address's limit and against the file
 * descriptors the node may give clients, keeps a few connections past a limit only to answer them the refusal, closes
 * connections whose headers, body or next request do not come in time, and admits the long-lived requests
 * (WebSockets, SSE streams, long polls) of clients behind trusted proxies. One per edge loop, for that loop's
 * connections, used on it; the counts it checks are the node's ({@link ClientLimits}).
 */
public final class ConnectionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  /** A connection kept only to answer a refusal must send its request's headers within this. */
  static final long REFUSING_HEADER_TIMEOUT_MS = 2_000;
  /** Connections the whole node keeps only to answer a refusal; more are closed at once. */
  static final int REFUSING_MAX = 64;
  private static final Runnable NOTHING = () -> { };

  private final ConnectionRules rules;
  private final ClientLimits limits;
  private final long clientCap;
  /** The connections whose deadlines are watched: all but the WebSockets, which have their own. */
  private final Map<HttpConnection, Tracked> tracked = new HashMap<>();
  private final Logs logs;

  /**
   * @param clientCap how many connections clients may hold at once ({@link FileDescriptors#clientCap})
   * @param logs      the node's throttled lines about refused and overdue connections
   */
  public ConnectionGuard(ConnectionRules rules, ClientLimits limits, long clientCap, Logs logs) {
    this.rules = rules;
    this.logs = logs;
    this.limits = limits;
    this.clientCap = clientCap;
  }

  /** What a long-lived request was refused, or null, and what to release when it ends. */
  public record Admission(Refusal refusal, Runnable release) {
  }

  /** A TCP connection was accepted: it is counted, kept to be refused, or closed at once. */
  public void accepted(HttpConnection connection, long nowMs) {
    String peer = connection.remoteAddress().hostAddress();
    boolean viaProxy = rules.trustedProxies().trusts(peer);
    Refusal refusal = null;
    if (!limits.admitToNode(clientCap)) {
      refusal = Refusal.NODE_FULL;
    } else if (!viaProxy && !limits.open(peer, nowMs)) {
      limits.leaveNode();
      refusal = Refusal.TOO_MANY_CONNECTIONS;
    }
    if (refusal == null) {
      watch(connection, new Tracked(peer, !viaProxy, null, nowMs));
      return;
    }
    logs.refusals.log(nowMs, "refusing connections: {} (from {} among others); {} client connections open",
        refusal.message(), peer, limits.nodeConnections());
    if (!limits.startRefusingOnNode(REFUSING_MAX)) {
      connection.close();
      return;
    }
    if (!limits.startRefusing(peer, nowMs)) {
      limits.stopRefusingOnNode();
      connection.close();
      return;
    }
    watch(connection, new Tracked(peer, false, refusal, nowMs));
  }

  private void watch(HttpConnection connection, Tracked connectionState) {
    tracked.put(connection, connectionState);
    connection.closeHandler(v -> {
      Tracked gone = tracked.remove(connection);
      if (gone != null) {
        release(gone);
      }
    });
  }

  /**
   * A request's headers are in. Returns the refusal its connection was kept for, or null; {@code /health} and
   * {@code /ready} are answered on any connection.
   */
  public Refusal requested(HttpServerRequest request, long nowMs) {
    Tracked state = tracked.get(request.connection());
    if (state == null) {
      return null;
    }
    state.request = request;
    state.requestAt = nowMs;
    state.answeredAt = 0;
    String path = request.path();
    return path.equals("/health") || path.equals("/ready") ? null : state.refusal;
  }

  /**
   * Admits a WebSocket, SSE stream or long poll ({@code handshake}: whether it is a new WebSocket or SSE stream,
   * charged to the address's handshake rate). Behind a trusted proxy the forwarded client's connection count is
   * charged for as long as the request lives: call the admission's release when it ends.
   */
  public Admission admit(HttpServerRequest request, boolean handshake, long nowMs) {
    Tracked state = tracked.get(request.connection());
    if (state != null && state.refusal != null) {
      return new Admission(state.refusal, NOTHING);
    }
    String peer = request.remoteAddress().hostAddress();
    String client = rules.trustedProxies().clientOf(peer, request.headers());
    Refusal refusal = handshake ? limits.handshake(client, nowMs) : null;
    if (refusal != null || state == null || state.counted) {
      return new Admission(refusal, NOTHING);
    }
    if (!limits.open(client, nowMs)) {
      return new Admission(Refusal.TOO_MANY_CONNECTIONS, NOTHING);
    }
    return new Admission(null, () -> limits.release(client));
  }

  /**
   * A request became a WebSocket: its deadlines end (the socket has its own), and what the connection holds is
   * released when the socket closes, through the returned task.
   */
  public Runnable upgraded(HttpServerRequest request) {
    Tracked state = tracked.remove(request.connection());
    return state == null ? NOTHING : () -> release(state);
  }

  /** Closes the connections past a deadline; run about once a second. */
  public void sweep(long nowMs) {
    int closed = 0;
    for (Iterator<Map.Entry<HttpConnection, Tracked>> it = tracked.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<HttpConnection, Tracked> entry = it.next();
      if (entry.getValue().overdue(nowMs, rules)) {
        it.remove();
        release(entry.getValue());
        entry.getKey().close();
        closed++;
      }
    }
    if (closed > 0) {
      logs.overdue.log(nowMs, "closed {} connections that did not send their request in time", closed);
    }
  }

  /** Client connections the node holds now, refused ones included. */
  public int open() {
    return limits.nodeConnections();
  }

  private void release(Tracked state) {
    if (state.refusal != null) {
      limits.stopRefusingOnNode();
      limits.stopRefusing(state.peer);
    } else {
      limits.leaveNode();
      if (state.counted) {
        limits.release(state.peer);
      }
    }
  }

  /** The node's throttled lines about connections (one line per interval for the whole node, not per loop). */
  public static final class Logs {
    final ThrottledLog refusals = ThrottledLog.warn(LOG);
    final ThrottledLog overdue = ThrottledLog.info(LOG);
  }

  /** One connection: its peer, whether the peer's count holds it, why it is kept if only to refuse, its request. */
  private static final class Tracked {
    final String peer;
    final boolean counted;
    final Refusal refusal;
    final long acceptedAt;
    HttpServerRequest request;
    long requestAt;
    long answeredAt;

    Tracked(String peer, boolean counted, Refusal refusal, long acceptedAt) {
      this.peer = peer;
      this.counted = counted;
      this.refusal = refusal;
      this.acceptedAt = acceptedAt;
    }

    /**
     * Past a deadline: no request headers {@code headerTimeout} after the accept, a body unfinished
     * {@code bodyTimeout} after its headers, or no next request {@code idleTimeout} after the last answer. A request
     * being answered (an SSE stream, a waiting long poll) has no deadline here.
     */
    boolean overdue(long nowMs, ConnectionRules rules) {
      if (request == null) {
        long limit = refusal != null ? REFUSING_HEADER_TIMEOUT_MS : rules.headerTimeout().toMillis();
        return nowMs - acceptedAt > limit;
      }
      if (!request.isEnded()) {
        return nowMs - requestAt > rules.bodyTimeout().toMillis();
      }
      if (!request.response().ended()) {
        return false;
      }
      if (answeredAt == 0) {
        answeredAt = nowMs;
        return false;
      }
      return nowMs - answeredAt > (refusal != null ? REFUSING_HEADER_TIMEOUT_MS : rules.idleTimeout().toMillis());
    }
  }
}
