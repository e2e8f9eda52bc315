package dev.switchboard.realtime.http;

import dev.switchboard.realtime.wire.Refusal;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http2ServerConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every client TCP connection of the edge, from its accept to its close (docs/PROTOCOL.md, Limits; docs/ARCHITECTURE.md,
 * Connections that never finish). It counts each connection against its address's limit and against the file
 * descriptors the node may give clients, keeps a few connections past a limit only to answer them the refusal, closes
 * connections whose headers, body or next request do not come in time, and admits the long-lived requests
 * (WebSockets, SSE streams, long polls) of clients behind trusted proxies. Over HTTP/2 (TLS with ALPN) a connection
 * carries many requests at once: each SSE stream and long poll on it is charged to its address like a connection of
 * its own, the connection idles only once none of its streams is open, and a connection sending PING or SETTINGS
 * frames faster than {@link #CONTROL_FRAMES_PER_SEC} gets a GOAWAY ({@code ENHANCE_YOUR_CALM}) and is closed.
 * One per edge loop, for that loop's connections, used on it; the counts it checks are the node's
 * ({@link ClientLimits}).
 */
public final class ConnectionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  /** A connection kept only to answer a refusal must send its request's headers within this. */
  static final long REFUSING_HEADER_TIMEOUT_MS = 2_000;
  /** Connections the whole node keeps only to answer a refusal; more are closed at once. */
  static final int REFUSING_MAX = 64;
  /**
   * PING and SETTINGS frames an HTTP/2 connection may send per second, after a burst of {@link #CONTROL_FRAME_BURST}:
   * a browser sends a handful in a connection's life, and each costs the node an acknowledgement.
   */
  public static final int CONTROL_FRAMES_PER_SEC = 10;
  public static final int CONTROL_FRAME_BURST = 40;
  /** HTTP/2's error code for a peer generating excessive load (RFC 9113, 7). */
  static final long ENHANCE_YOUR_CALM = 0xb;
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
      watch(connection, new Tracked(peer, !viaProxy, null, nowMs, multiplexed(connection)));
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
    watch(connection, new Tracked(peer, false, refusal, nowMs, multiplexed(connection)));
  }

  /** Whether {@code connection} is HTTP/2 (negotiated with ALPN), carrying any number of requests at once. */
  private static boolean multiplexed(HttpConnection connection) {
    return connection instanceof Http2ServerConnection;
  }

  private void watch(HttpConnection connection, Tracked connectionState) {
    tracked.put(connection, connectionState);
    connection.closeHandler(v -> {
      Tracked gone = tracked.remove(connection);
      if (gone != null) {
        release(gone);
      }
    });
    if (connectionState.multiplexed) {
      // Netty acknowledges each PING and SETTINGS by itself; these handlers only count them.
      connection.pingHandler(data -> controlFrame(connection, connectionState));
      connection.remoteSettingsHandler(settings -> controlFrame(connection, connectionState));
    }
  }

  private void controlFrame(HttpConnection connection, Tracked state) {
    // Counted on the wall clock: the frames arrive between sweeps, on no timer of the guard's.
    long nowMs = System.currentTimeMillis();
    if (state.controlFrames == null) {
      state.controlFrames = new ControlFrames(nowMs);
    }
    if (!state.controlFrames.take(nowMs)) {
      logs.floods.log(nowMs, "closed an HTTP/2 connection from {} sending PING or SETTINGS frames past {} per second",
          state.peer, CONTROL_FRAMES_PER_SEC);
      connection.goAway(ENHANCE_YOUR_CALM);
      connection.close();
    }
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
    state.requested(request, nowMs);
    String path = request.path();
    return path.equals("/health") || path.equals("/ready") ? null : state.refusal;
  }

  /**
   * Admits a WebSocket, SSE stream or long poll ({@code handshake}: whether it is a new WebSocket or SSE stream,
   * charged to the address's handshake rate). Behind a trusted proxy the forwarded client's connection count is
   * charged for as long as the request lives, and so is the address's over HTTP/2, where one connection carries many
   * such requests: call the admission's release when it ends.
   */
  public Admission admit(HttpServerRequest request, boolean handshake, long nowMs) {
    Tracked state = tracked.get(request.connection());
    if (state != null && state.refusal != null) {
      return new Admission(state.refusal, NOTHING);
    }
    String peer = request.remoteAddress().hostAddress();
    String client = rules.trustedProxies().clientOf(peer, request.headers());
    Refusal refusal = handshake ? limits.handshake(client, nowMs) : null;
    if (refusal != null || state == null || (state.counted && !state.multiplexed)) {
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
    final ThrottledLog floods = ThrottledLog.warn(LOG);
  }

  /** A token bucket of one HTTP/2 connection's PING and SETTINGS frames. */
  private static final class ControlFrames {
    private double tokens = CONTROL_FRAME_BURST;
    private long updatedMs;

    ControlFrames(long nowMs) {
      this.updatedMs = nowMs;
    }

    /** Whether one more frame is within the budget at {@code nowMs}. */
    boolean take(long nowMs) {
      if (nowMs > updatedMs) {
        tokens = Math.min(CONTROL_FRAME_BURST, tokens + (nowMs - updatedMs) * CONTROL_FRAMES_PER_SEC / 1000.0);
        updatedMs = nowMs;
      }
      if (tokens < 1) {
        return false;
      }
      tokens--;
      return true;
    }
  }

  /** One connection: its peer, whether the peer's count holds it, why it is kept if only to refuse, its requests. */
  private static final class Tracked {
    /** Answered requests are forgotten at each sweep, and when an HTTP/2 connection holds more than this. */
    private static final int PRUNE_AT = 64;
    final String peer;
    final boolean counted;
    final Refusal refusal;
    final long acceptedAt;
    final boolean multiplexed;
    /**
     * The requests not yet seen answered, each with when its headers came in: one at a time over HTTP/1.1, any
     * number of streams at once over HTTP/2.
     */
    final Map<HttpServerRequest, Long> open = new LinkedHashMap<>();
    boolean requested;
    long answeredAt;
    /** The PING and SETTINGS frames an HTTP/2 connection may still send; made at its first. */
    ControlFrames controlFrames;

    Tracked(String peer, boolean counted, Refusal refusal, long acceptedAt, boolean multiplexed) {
      this.peer = peer;
      this.counted = counted;
      this.refusal = refusal;
      this.acceptedAt = acceptedAt;
      this.multiplexed = multiplexed;
    }

    void requested(HttpServerRequest request, long nowMs) {
      if (open.size() >= PRUNE_AT) {
        open.keySet().removeIf(Tracked::answered);
      }
      open.put(request, nowMs);
      requested = true;
      answeredAt = 0;
    }

    private static boolean answered(HttpServerRequest request) {
      return request.response().ended() || request.response().closed();
    }

    /**
     * Past a deadline: no request headers {@code headerTimeout} after the accept, a body unfinished
     * {@code bodyTimeout} after its headers, or no next request {@code idleTimeout} after the last answer. A request
     * being answered (an SSE stream, a waiting long poll) has no deadline here, and keeps its connection from idling.
     */
    boolean overdue(long nowMs, ConnectionRules rules) {
      if (!requested) {
        long limit = refusal != null ? REFUSING_HEADER_TIMEOUT_MS : rules.headerTimeout().toMillis();
        return nowMs - acceptedAt > limit;
      }
      boolean answering = false;
      for (Iterator<Map.Entry<HttpServerRequest, Long>> it = open.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<HttpServerRequest, Long> entry = it.next();
        HttpServerRequest request = entry.getKey();
        if (!request.isEnded() && !request.response().closed()) {
          if (nowMs - entry.getValue() > rules.bodyTimeout().toMillis()) {
            return true;
          }
          answering = true;
        } else if (!answered(request)) {
          answering = true;
        } else {
          it.remove();
        }
      }
      if (answering) {
        answeredAt = 0;
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
