package dev.switchboard.realtime.http;

import dev.switchboard.protocol.SessionIds;
import dev.switchboard.realtime.Edge;
import dev.switchboard.realtime.metrics.Transport;
import dev.switchboard.realtime.metrics.UpgradeFailure;
import dev.switchboard.realtime.poll.PollEndpoint;
import dev.switchboard.realtime.positions.ReadPositions;
import dev.switchboard.realtime.sse.SseStream;
import dev.switchboard.realtime.sse.StreamCursor;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.wire.RequestFailure;
import dev.switchboard.realtime.wire.WholeNumbers;
import dev.switchboard.realtime.ws.WebSocketConnection;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /events} of docs/PROTOCOL.md (WebSocket, Server-Sent Events): a WebSocket, or a Server-Sent Events
 * stream. Long polls are {@link PollEndpoint}'s.
 *
 * <p>On a WebSocket, a bad URL or token still gets the upgrade and is then closed with a catalogue code, because a browser cannot read
 * the status of a refused handshake.
 */
public final class EventsEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(EventsEndpoint.class);

  public static final String PATH = "/events";
  /**
   * The transport a client used or tried just before this one (docs/PROTOCOL.md, Transport history), on
   * its first request after a change; counted in {@code switchboard_fallbacks_total}, ignored otherwise.
   */
  public static final String FALLBACK_FROM = "fallbackFrom";
  /** The {@code Retry-After} of a stream refused by the per-address limits. */
  private static final long RETRY_CONNECTING_MS = 1_000;

  private final Edge edge;

  public EventsEndpoint(Edge edge) {
    this.edge = edge;
  }

  private void serverSentEvents(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    List<String> sessions = request.params().getAll("sessionId");
    List<String> froms = request.params().getAll("fromEventId");
    if (sessions.isEmpty() || !sessions.stream().allMatch(SessionIds::isValid)
        || sessions.stream().distinct().count() != sessions.size()) {
      HttpErrors.send(ctx, Refusal.BAD_STREAM_SESSIONS);
      return;
    }
    if (sessions.size() > edge.config.maxSubscriptions()) {
      HttpErrors.send(ctx, Refusal.TOO_MANY_SUBSCRIPTIONS, edge.config.maxSubscriptions());
      return;
    }
    Map<String, Long> positions;
    String lastEventId = request.getHeader("Last-Event-ID");
    if (lastEventId != null && !lastEventId.isBlank()) {
      positions = StreamCursor.parse(lastEventId, sessions);
    } else {
      positions = new LinkedHashMap<>();
      if (!froms.isEmpty() && froms.size() != sessions.size()) {
        positions = null;
      }
      for (int i = 0; positions != null && i < froms.size(); i++) {
        Long position = WholeNumbers.parse(froms.get(i));
        if (position == null) {
          positions = null;
        } else {
          positions.put(sessions.get(i), position);
        }
      }
    }
    if (positions == null) {
      HttpErrors.send(ctx, Refusal.BAD_STREAM_POSITIONS);
      return;
    }
    Map<String, Long> from = positions;
    if (!edge.origins.allows(request.getHeader(HttpHeaders.ORIGIN))) {
      HttpErrors.send(ctx, Refusal.ORIGIN_FORBIDDEN);
      return;
    }
    edge.access.subscriber(ctx, sessions, (principal, grants) -> edge.readPositions.forSubscribing(principal, sessions)
        .onSuccess(readPositions -> {
          ConnectionGuard.Admission admission = edge.guard.admit(request, true, edge.timers.now());
          Refusal refusal = admission.refusal();
          if (refusal != null) {
            edge.metrics.refused(refusal);
            HttpErrors.send(ctx, new RequestFailure(refusal.code(), refusal.message(), RETRY_CONNECTING_MS));
            return;
          }
          edge.metrics.fellBack(Transport.of(request.getParam(FALLBACK_FROM)), Transport.SSE);
          // A session the client gave no position starts after the user's read position, if any.
          Map<String, Long> starts = new LinkedHashMap<>(from);
          for (String sessionId : sessions) {
            Long start = ReadPositions.startAfter(principal, sessionId, from.get(sessionId),
                readPositions.of(sessionId));
            if (start != null) {
              starts.put(sessionId, start);
            }
          }
          new SseStream(ctx.response(), edge, principal, sessions, starts, readPositions, admission.release())
              .start(grants);
        }));
  }

  /** {@code GET /events} without an upgrade: a Server-Sent Events stream. */
  public void handle(RoutingContext ctx) {
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    if (accept != null && accept.contains("text/event-stream")) {
      serverSentEvents(ctx);
    } else {
      HttpErrors.send(ctx, Refusal.EVENTS_WITHOUT_UPGRADE);
    }
  }

  /** Whether a request asks to become a WebSocket. */
  public static boolean isUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader(HttpHeaders.UPGRADE);
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }

  /**
   * A WebSocket upgrade, taken before the router, so the socket is Vert.x core's own (vertx-web wraps the ones it
   * upgrades, hiding the channel that batched writes use). Only {@code /events} takes upgrades.
   */
  public void upgrade(HttpServerRequest request) {
    if (!PATH.equals(request.path())) {
      edge.metrics.upgradeFailed(UpgradeFailure.WRONG_PATH);
      request.response().setStatusCode(404).end();
      return;
    }
    ConnectionGuard.Admission admission = edge.guard.admit(request, true, edge.timers.now());
    request.toWebSocket()
        .onSuccess(ws -> {
          Runnable connectionHeld = edge.guard.upgraded(request);
          AccessLog.Entry logged = edge.accessLog.upgraded(request);
          webSocket(ws, admission.refusal(), logged, () -> {
            connectionHeld.run();
            admission.release().run();
          });
        })
        .onFailure(failure -> {
          edge.metrics.upgradeFailed(UpgradeFailure.HANDSHAKE);
          admission.release().run();
          LOG.debug("upgrade failed: {}", failure.toString());
        });
  }

  /**
   * A WebSocket on {@code /events}: its URL and origin are checked, then its token. {@code limited} is what the
   * connection limits refused it, or null; {@code logged} is its request's access-log entry; {@code release} runs when
   * it closes.
   */
  private void webSocket(ServerWebSocket ws, Refusal limited, AccessLog.Entry logged, Runnable release) {
    // The URL decodes: MalformedUrls answered those that do not before the upgrade.
    Map<String, List<String>> params = new QueryStringDecoder(ws.uri()).parameters();
    String sessionId = first(params, "sessionId");
    String from = first(params, "fromEventId");
    Long fromEventId = WholeNumbers.parse(from);
    String token = Tokens.of(ws.headers().get(HttpHeaders.AUTHORIZATION), first(params, "access_token"));
    boolean originAllowed = edge.origins.allows(ws.headers().get(HttpHeaders.ORIGIN));
    // Kept only until the socket starts: the connect hook may need the cookies.
    MultiMap headers = token == null ? MultiMap.caseInsensitiveMultiMap().addAll(ws.headers()) : null;
    // Nothing reads the upgrade's headers again; the socket would keep them (and the token) for its whole life.
    ws.headers().clear();
    WebSocketConnection connection = new WebSocketConnection(ws, edge, sessionId, fromEventId, logged, release);
    if (edge.connections.draining()) {
      connection.refuse(Refusal.DRAINING_CONNECTION);
    } else if (!originAllowed) {
      connection.refuse(Refusal.ORIGIN_FORBIDDEN);
    } else if (limited != null) {
      edge.metrics.refused(limited);
      connection.refuse(limited);
    } else if (sessionId != null && !SessionIds.isValid(sessionId)) {
      connection.refuse(Refusal.BAD_SESSION_ID);
    } else if (from != null && fromEventId == null) {
      connection.refuse(Refusal.BAD_FROM_EVENT_ID);
    } else {
      edge.metrics.fellBack(Transport.of(first(params, FALLBACK_FROM)), Transport.WEBSOCKET);
      connection.start(token, token != null ? null : edge.identity.withoutToken(headers, "websocket",
          sessionId == null ? null : List.of(sessionId), first(params, ClientIdentity.ACTOR_TYPE)));
    }
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
