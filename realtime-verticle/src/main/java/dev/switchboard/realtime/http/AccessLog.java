package dev.switchboard.realtime.http;

import dev.switchboard.realtime.Connections;
import dev.switchboard.realtime.EdgeTimers;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.HashMap;
import java.util.Map;

/**
 * The edge's access log ({@code SB_ACCESS_LOG}; docs/ARCHITECTURE.md, Logs): one INFO line per HTTP request, written
 * when its answer ends. The message is the method and the route; the rest are key-value pairs (fields of their own
 * in JSON lines):
 *
 * <pre>
 * GET /sessions/{sessionId}/events status=200 bytes=532 durationMs=3 client=10.0.0.7
 * GET /events status=101 durationMs=5230 client=10.0.0.7 connectionId=4b6f... closeCode=1000
 * </pre>
 *
 * <p>The route is the path with a session id replaced by {@code {sessionId}}; the query string, which may carry a
 * token ({@code access_token}) and session ids, and the headers ({@code Authorization}, {@code X-Api-Key}) are never
 * logged. {@code status} is 0 when the connection closed before an answer; {@code client} is the address the
 * per-address limits count ({@link TrustedProxies#clientOf}). A WebSocket, SSE stream or long poll adds its
 * {@code connectionId}; a WebSocket's line comes when it closes, with its {@code closeCode} and no byte count, and an
 * SSE stream's when it ends. {@code /health} and {@code /ready} answered 200 go at DEBUG: probes ask every few seconds.
 *
 * <p>The line is written from the response's end handler, which Vert.x calls once, when the answer ends or the
 * connection closes before it; no route may use {@code RoutingContext.addEndHandler}, which takes that handler over.
 * Used on its edge loop.
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
  /** Longer paths (unknown ones: the routes are short) are cut to this. */
  private static final int MAX_ROUTE_CHARS = 100;
  private static final String SESSIONS = "/sessions/";
  private static final Entry NONE = new Entry(null, null, null, 0);

  private final boolean enabled;
  private final TrustedProxies proxies;
  private final EdgeTimers timers;
  /** The requests being answered, by response: routes get a wrapper of the request, but the response itself. */
  private final Map<HttpServerResponse, Entry> answering = new HashMap<>();

  public AccessLog(boolean enabled, TrustedProxies proxies, EdgeTimers timers) {
    this.enabled = enabled;
    this.proxies = proxies;
    this.timers = timers;
  }

  /** A request's headers are in: its line is written when its answer ends. */
  public void begin(HttpServerRequest request) {
    if (!enabled) {
      return;
    }
    Entry entry = new Entry(request.method().name(), route(request.path()),
        proxies.clientOf(request.remoteAddress().hostAddress(), request.headers()), timers.now());
    HttpServerResponse response = request.response();
    answering.put(response, entry);
    response.endHandler(v -> {
      answering.remove(response);
      int status = response.headWritten() ? response.getStatusCode() : 0;
      write(entry, status, response.bytesWritten(), null);
    });
  }

  /** The request answered by {@code response} is the SSE stream or long poll {@code connectionId}. */
  public void connection(HttpServerResponse response, String connectionId) {
    Entry entry = answering.get(response);
    if (entry != null) {
      entry.connectionId = connectionId;
    }
  }

  /** The request became a WebSocket; its line is written by {@link #webSocketClosed} (its response never ends). */
  public Entry upgraded(HttpServerRequest request) {
    Entry entry = answering.remove(request.response());
    return entry == null ? NONE : entry;
  }

  /** Writes the line of a WebSocket that has closed with {@code closeCode} (sent or received; 1006 for none). */
  public void webSocketClosed(Entry entry, String connectionId, int closeCode) {
    if (entry != NONE) {
      entry.connectionId = connectionId;
      write(entry, 101, -1, closeCode);
    }
  }

  private void write(Entry entry, int status, long bytes, Integer closeCode) {
    boolean probe = status == 200 && (entry.route.equals("/health") || entry.route.equals("/ready"));
    LoggingEventBuilder line = (probe ? LOG.atDebug() : LOG.atInfo()).addKeyValue("status", status);
    if (bytes >= 0) {
      line = line.addKeyValue("bytes", bytes);
    }
    line = line.addKeyValue("durationMs", timers.now() - entry.startedAt).addKeyValue("client", entry.client);
    if (entry.connectionId != null) {
      line = line.addKeyValue(Connections.LOG_KEY, entry.connectionId);
    }
    if (closeCode != null) {
      line = line.addKeyValue("closeCode", closeCode);
    }
    line.log("{} {}", entry.method, entry.route);
  }

  /** The path as logged: a session id becomes {@code {sessionId}}, and what follows it only if it is a known route. */
  static String route(String path) {
    if (path == null) {
      return "-";
    }
    if (path.startsWith(SESSIONS)) {
      int end = path.indexOf('/', SESSIONS.length());
      String rest = end < 0 ? "" : path.substring(end);
      return SESSIONS + "{sessionId}" + (rest.isEmpty() || rest.equals("/events") || rest.equals("/presence")
          ? rest : "/...");
    }
    return path.length() > MAX_ROUTE_CHARS ? path.substring(0, MAX_ROUTE_CHARS) + "..." : path;
  }

  /** One request being answered: what its line says. */
  public static final class Entry {
    private final String method;
    private final String route;
    private final String client;
    private final long startedAt;
    private String connectionId;

    private Entry(String method, String route, String client, long startedAt) {
      this.method = method;
      this.route = route;
      this.client = client;
      this.startedAt = startedAt;
    }
  }
}
