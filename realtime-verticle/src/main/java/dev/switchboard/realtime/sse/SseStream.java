package dev.switchboard.realtime.sse;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.PositionsList;
import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.SessionGrant;
import dev.switchboard.realtime.Connections;
import dev.switchboard.realtime.Edge;
import dev.switchboard.realtime.OperatorTarget;
import dev.switchboard.realtime.SessionTokens;
import dev.switchboard.realtime.hub.EncodedEvent;
import dev.switchboard.realtime.hub.Subscriber;
import dev.switchboard.realtime.hub.Subscription;
import dev.switchboard.realtime.hub.WritableWaiters;
import dev.switchboard.realtime.metrics.Transport;
import dev.switchboard.realtime.wire.Frames;
import dev.switchboard.realtime.wire.Refusal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One Server-Sent Events stream of one or more sessions: the same JSON frames as the WebSocket, each persisted event
 * with an {@code id:} that resumes the stream ({@link StreamCursor}).
 *
 * <pre>
 * retry: 1000
 *
 * data: {"type":"connected","connectionId":"...","userId":"ada","heartbeatSec":5}
 *
 * id: 42
 * data: {"type":"event","eventId":"42",...}
 * </pre>
 */
public final class SseStream implements Subscriber, OperatorTarget {

  private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);
  private static final Buffer RETRY = Buffer.buffer("retry: 1000\n\n");

  private final HttpServerResponse response;
  private final Edge edge;
  private final Principal principal;
  private final List<String> sessions;
  private final Map<String, Long> positions;
  /** The user's read positions in the stream's sessions when it opened, for its {@code replayed} frames. */
  private final PositionsList readPositions;
  private final Runnable release;
  private final String connectionId = UUID.randomUUID().toString();
  private final StreamCursor cursor;
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  /** Frames held back until every session is placed, so that {@code connected} is the first frame. */
  private List<Buffer> beforeConnected = new ArrayList<>();
  private int unplaced;
  private boolean closed;
  private long expiryTimer = -1;
  private final WritableWaiters writableWaiters = new WritableWaiters();
  private final SessionTokens sessionTokens;
  private long openedAt;
  /** The WebSocket close code equivalent to how the stream ended; the client ending it is 1000. */
  private int endCode = CloseReason.NORMAL.code();

  public SseStream(HttpServerResponse response, Edge edge, Principal principal, List<String> sessions,
            Map<String, Long> positions, PositionsList readPositions, Runnable release) {
    this.response = response;
    this.release = release;
    this.edge = edge;
    this.principal = principal;
    this.sessions = List.copyOf(sessions);
    this.positions = positions;
    this.readPositions = readPositions;
    this.cursor = new StreamCursor(sessions);
    this.sessionTokens = new SessionTokens(edge.timers, id -> unsubscribe(id, Refusal.SESSION_TOKEN_EXPIRED));
    positions.forEach(cursor::advance);
  }

  /** Starts the stream; each of {@code grants} (session tokens) ends its session alone at its expiry. */
  public void start(List<SessionGrant> grants) {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        .putHeader("Content-Encoding", "identity");
    response.setWriteQueueMaxSize(edge.config.outboundLimitBytes());
    response.closeHandler(v -> cleanUp());
    response.exceptionHandler(e -> LOG.atDebug().addKeyValue(Connections.LOG_KEY, connectionId)
        .log("SSE stream failed: {}", e.toString()));
    response.drainHandler(v -> writableWaiters.runWhile(() -> !closed && !response.writeQueueFull()));
    response.write(RETRY);
    edge.connections.streams.add(this);
    edge.accessLog.connection(response, connectionId);
    openedAt = edge.metrics.connectionOpened(Transport.SSE);
    long delay = principal.expiresAt() - edge.timers.now();
    expiryTimer = edge.timers.schedule(delay, () -> {
      expiryTimer = -1;
      end(Refusal.TOKEN_EXPIRED);
    });
    grants.forEach(sessionTokens::hold);
    unplaced = sessions.size();
    for (String sessionId : sessions) {
      subscriptions.put(sessionId, edge.hubs.subscribe(sessionId, this, positions.get(sessionId)));
    }
    // Started only once all are kept: a subscription's first callback may end the stream.
    new ArrayList<>(subscriptions.values()).forEach(Subscription::start);
  }

  /** Called by the edge's SSE ping timer. */
  public void ping() {
    write(data(Frames.ping()));
  }

  /** Ends the stream without a last frame (drain, stop): the client reconnects with {@code Last-Event-ID}. */
  public void end() {
    end(null);
  }

  /**
   * Ends the stream after an {@code error} frame saying why (expiry, slow consumer, unavailable event log, an
   * operator).
   */
  public void end(Refusal refusal, Object... args) {
    if (closed) {
      return;
    }
    if (refusal != null) {
      response.write(data(Frames.error(null, refusal.code(), refusal.message(args))));
    }
    endCode = refusal == null ? CloseReason.SERVICE_RESTART.code()
        : refusal.close() != null ? refusal.close().code() : CloseReason.INTERNAL.code();
    closed = true;
    response.end();
    cleanUp();
  }

  @Override
  public String connectionId() {
    return connectionId;
  }

  @Override
  public Principal principal() {
    return principal;
  }

  @Override
  public void close(Refusal refusal, Object... args) {
    end(refusal, args);
  }

  /**
   * Ends one session of the stream with an {@code unsubscribed} frame; the others go on. A stream left with none
   * ends, and so does one whose sessions are not all placed yet (its client reopens it).
   */
  @Override
  public void unsubscribe(String sessionId, Refusal why) {
    Subscription subscription = subscriptions.get(sessionId);
    sessionTokens.drop(sessionId);
    if (closed || subscription == null) {
      return;
    }
    if (beforeConnected != null) {
      end();
      return;
    }
    subscriptions.remove(sessionId);
    subscription.cancel();
    write(data(Frames.unsubscribed(sessionId, why)));
    if (subscriptions.isEmpty()) {
      end();
    }
  }

  @Override
  public Transport transport() {
    return Transport.SSE;
  }

  @Override
  public PresenceUser presenceUser() {
    return principal.presenceUser();
  }

  @Override
  public String anonymousType() {
    return principal.isAnonymous() ? principal.actorType() : null;
  }

  @Override
  public void placed(Subscription subscription) {
    if (--unplaced == 0) {
      List<Buffer> held = beforeConnected;
      beforeConnected = null;
      write(data(Frames.connected(connectionId, principal.userId(), edge.config.heartbeatSec())));
      held.forEach(this::write);
    }
  }

  @Override
  public void sendEvent(Subscription subscription, EncodedEvent event) {
    cursor.advance(subscription.sessionId(), event.seq());
    String id = cursor.encode();
    write(Buffer.buffer(event.frame().length() + id.length() + 16).appendString("id: ").appendString(id)
        .appendString("\ndata: ").appendBuffer(event.frame()).appendString("\n\n"));
    if (subscription.isLive() && !closed && response.writeQueueFull()) {
      LOG.atInfo().addKeyValue(Connections.LOG_KEY, connectionId).log("SSE stream ended as a slow consumer");
      edge.metrics.slowConsumerClosed();
      end(Refusal.SLOW_CONSUMER);
    }
  }

  @Override
  public void replayed(Subscription subscription, long lastEventId) {
    write(data(Frames.replayed(subscription.sessionId(), lastEventId, readPositions.of(subscription.sessionId()))));
  }

  @Override
  public void reset(Subscription subscription, ResetReason reason, long lastEventId) {
    cursor.advance(subscription.sessionId(), lastEventId);
    write(data(Frames.reset(subscription.sessionId(), reason, lastEventId)));
  }

  @Override
  public void sendFrame(Buffer frame) {
    write(data(frame));
  }

  @Override
  public void failed(Subscription subscription, Throwable cause) {
    end(Refusal.EVENT_LOG_UNAVAILABLE);
  }

  @Override
  public boolean writeQueueFull() {
    return !closed && response.writeQueueFull();
  }

  @Override
  public void whenWritable(Runnable task) {
    writableWaiters.add(task);
  }

  @Override
  public boolean isFinished() {
    return closed;
  }

  private static Buffer data(Buffer frame) {
    return Buffer.buffer(frame.length() + 8).appendString("data: ").appendBuffer(frame).appendString("\n\n");
  }

  private void write(Buffer chunk) {
    if (closed) {
      return;
    }
    if (beforeConnected != null) {
      beforeConnected.add(chunk);
    } else {
      response.write(chunk);
    }
  }


  private void cleanUp() {
    closed = true;
    if (!edge.connections.streams.remove(this)) {
      return;
    }
    edge.metrics.connectionClosed(Transport.SSE, openedAt, endCode);
    release.run();
    if (expiryTimer != -1) {
      edge.timers.cancel(expiryTimer);
    }
    sessionTokens.close();
    new ArrayList<>(subscriptions.values()).forEach(Subscription::cancel);
    subscriptions.clear();
    writableWaiters.clear();
  }
}
