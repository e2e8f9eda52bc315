package dev.switchboard.realtime;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.SessionIds;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One client WebSocket: authenticates it, answers its frames, and is the {@link Subscriber} of its sessions.
 * Every protocol error leaves through {@link #sendError} (the connection stays open) or {@link #close} (it does not).
 */
final class WebSocketConnection implements Subscriber {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);
  static final int ABUSE_THRESHOLD = 20;

  private final ServerWebSocket ws;
  /** The socket's Netty channel, for writes batched by {@link FlushBatch} and for its byte-exact writability. */
  private final ChannelHandlerContext channel;
  /**
   * The WebSocket encoder's context: a write there goes to the handlers below it, so an already encoded frame skips
   * the encoder (TLS, if any, still applies). Null if the pipeline has no such encoder.
   */
  private final ChannelHandlerContext underEncoder;
  private final Edge edge;
  private final String connectionId = UUID.randomUUID().toString();
  private final String urlSession;
  private final Long urlFrom;
  private final String admittedIp;
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>(4);
  private Principal principal;
  private long lastSeen;
  private long authTimer = -1;
  private long expiryTimer = -1;
  private boolean connectedSent;
  private boolean closing;
  private boolean cleanedUp;
  private boolean flushPending;
  private final WritableWaiters writableWaiters = new WritableWaiters();
  private final FrameBudget budget;
  /** Publishes and signals refused for rate in a row; past {@link #ABUSE_THRESHOLD} the client is closed (4008). */
  private int rateLimitedInARow;

  /** {@code admittedIp} is the client address counted by {@link ClientLimits}, released on close; null if none. */
  WebSocketConnection(ServerWebSocket ws, Edge edge, String urlSession, Long urlFrom, String admittedIp) {
    this.ws = ws;
    DirectWrites.apply(ws);
    this.channel = ((WebSocketInternal) ws).channelHandlerContext();
    this.underEncoder = channel.pipeline().context(WebSocketFrameEncoder.class);
    this.admittedIp = admittedIp;
    this.edge = edge;
    this.urlSession = urlSession;
    this.urlFrom = urlFrom;
    this.budget = new FrameBudget(edge.config.maxFramesPerSec(), System.currentTimeMillis());
  }

  /** Wires the socket; {@code token} null means the client must send an {@code auth} frame first. */
  void start(String token) {
    ws.setWriteQueueMaxSize(edge.config.outboundLimitBytes());
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> {
      touch();
      if (withinBudget()) {
        sendError(null, ErrorCode.BAD_REQUEST, "binary frames are not supported: send JSON text frames");
      }
    });
    ws.pongHandler(b -> touch());
    ws.exceptionHandler(this::onException);
    ws.closeHandler(v -> cleanUp());
    ws.drainHandler(v -> writableWaiters.runWhile(() -> !closing && !outboundFull()));
    edge.connections.add(this);
    touch();
    if (token == null) {
      authTimer = edge.vertx.setTimer(edge.config.authTimeout().toMillis(), t -> {
        authTimer = -1;
        if (principal == null) {
          close(CloseReason.UNAUTHORIZED, "no token: send an auth frame within "
              + edge.config.authTimeout().toSeconds() + " s");
        }
      });
    } else {
      authenticate(token);
    }
  }

  /** Closes a socket whose URL was unusable before anything else happens. */
  void refuse(CloseReason reason, String message) {
    ws.closeHandler(v -> cleanUp());
    close(reason, message);
  }

  /** Called by the edge's heartbeat timer: pings a live client, closes one silent for two intervals. */
  void heartbeat(long now) {
    if (closing) {
      return;
    }
    if (now - lastSeen > 2_000L * edge.config.heartbeatSec()) {
      close(CloseReason.GOING_AWAY, "heartbeat timeout");
    } else {
      ws.writePing(Buffer.buffer());
    }
  }

  // ---- inbound

  private void onText(String text) {
    if (closing) {
      return;
    }
    touch();
    if (!withinBudget()) {
      return;
    }
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException malformed) {
      sendError(null, ErrorCode.BAD_REQUEST, "malformed JSON: each frame must be one JSON object");
      return;
    }
    Object requestId = frame.getValue("requestId");
    if (requestId != null && !(requestId instanceof String || requestId instanceof Number)) {
      // Echoed in the answer, so it must be something every client can match: docs/PROTOCOL.md, Frames.
      sendError(null, ErrorCode.BAD_REQUEST, "requestId must be a string or a number");
      return;
    }
    if (!(frame.getValue("type") instanceof String type)) {
      sendError(requestId, ErrorCode.BAD_REQUEST, "a frame needs a string \"type\"");
      return;
    }
    if (principal == null) {
      if (type.equals("auth") && authTimer != -1) {
        firstAuth(frame);
      } else {
        close(CloseReason.UNAUTHORIZED, "authenticate first");
      }
      return;
    }
    switch (type) {
      case "publish" -> onPublish(frame, requestId);
      case "signal" -> onSignal(frame, requestId);
      case "subscribe" -> onSubscribe(frame, requestId);
      case "unsubscribe" -> onUnsubscribe(frame, requestId);
      case "presence" -> onPresence(frame, requestId);
      case "auth" -> onRefresh(frame, requestId);
      case "ping" -> send(Frames.pong());
      default -> sendError(requestId, ErrorCode.BAD_REQUEST, "unknown frame type '" + clip(type, 32) + "'");
    }
  }

  /** Charges one inbound frame; a flooding client is told once, then closed with 4008 if it keeps going. */
  private boolean withinBudget() {
    switch (budget.take(System.currentTimeMillis())) {
      case ACCEPT:
        return true;
      case DROP_FIRST:
        sendError(null, ErrorCode.RATE_LIMITED, "too many frames: at most " + edge.config.maxFramesPerSec()
            + " per second; frames beyond are dropped");
        return false;
      case FLOOD:
        close(CloseReason.RATE_LIMITED, "frame flood");
        return false;
      default:
        return false;
    }
  }

  /** Counts refusals for rate: a client that keeps publishing into its limit is closed with 4008. */
  private void answerFailure(Object requestId, Throwable failure) {
    ErrorCode code = ErrorCode.of(failure);
    sendError(requestId, code, ErrorCode.messageOf(failure));
    if (code == ErrorCode.RATE_LIMITED && ++rateLimitedInARow > ABUSE_THRESHOLD) {
      close(CloseReason.RATE_LIMITED, "publish rate exceeded repeatedly; back off");
    }
  }

  private void firstAuth(JsonObject frame) {
    if (!(frame.getValue("token") instanceof String token) || token.isEmpty()) {
      close(CloseReason.UNAUTHORIZED, "the auth frame needs a token");
      return;
    }
    edge.vertx.cancelTimer(authTimer);
    authTimer = -1;
    authenticate(token);
  }

  private void authenticate(String token) {
    ws.pause();
    edge.services.verify(token).onComplete(ar -> {
      if (closing) {
        return;
      }
      if (ar.failed()) {
        ErrorCode code = ErrorCode.of(ar.cause());
        close(code == ErrorCode.UNAUTHORIZED ? CloseReason.UNAUTHORIZED : CloseReason.INTERNAL,
            ErrorCode.messageOf(ar.cause()));
        return;
      }
      principal = ar.result();
      scheduleExpiry();
      ws.resume();
      if (urlSession == null) {
        sendConnected();
      } else if (!principal.canSubscribe(urlSession)) {
        close(CloseReason.FORBIDDEN, "the token does not allow this session");
      } else {
        subscribe(urlSession, urlFrom);
      }
    });
  }

  private void onRefresh(JsonObject frame, Object requestId) {
    if (!(frame.getValue("token") instanceof String token) || token.isEmpty()) {
      sendError(requestId, ErrorCode.BAD_REQUEST, "the auth frame needs a token");
      return;
    }
    edge.services.verify(token).onComplete(ar -> {
      if (closing) {
        return;
      }
      if (ar.failed()) {
        sendError(requestId, ErrorCode.of(ar.cause()), ErrorCode.messageOf(ar.cause()));
      } else if (!ar.result().userId().equals(principal.userId())) {
        sendError(requestId, ErrorCode.FORBIDDEN, "the new token is for another user; the old one stays in force");
      } else {
        principal = ar.result();
        scheduleExpiry();
      }
    });
  }

  private void onSubscribe(JsonObject frame, Object requestId) {
    String sessionId = sessionIdOf(frame, requestId, null);
    if (sessionId == null) {
      return;
    }
    if (!principal.canSubscribe(sessionId)) {
      sendError(requestId, ErrorCode.FORBIDDEN, "the token does not allow this session");
      return;
    }
    if (subscriptions.containsKey(sessionId)) {
      sendError(requestId, ErrorCode.BAD_REQUEST, "already subscribed to this session");
      return;
    }
    if (subscriptions.size() >= edge.config.maxSubscriptions()) {
      sendError(requestId, ErrorCode.BAD_REQUEST, "at most " + edge.config.maxSubscriptions()
          + " sessions per connection");
      return;
    }
    Object from = frame.getValue("fromEventId");
    Long fromEventId = EventIds.parse(from);
    if (from != null && fromEventId == null) {
      sendError(requestId, ErrorCode.BAD_REQUEST, "fromEventId must be a non-negative eventId");
      return;
    }
    subscribe(sessionId, fromEventId);
  }

  private void subscribe(String sessionId, Long fromEventId) {
    subscriptions.put(sessionId, null);
    Subscription subscription = edge.hubs.subscribe(sessionId, this, fromEventId);
    if (subscriptions.containsKey(sessionId) && !subscription.isClosed()) {
      subscriptions.put(sessionId, subscription);
    }
  }

  private void onUnsubscribe(JsonObject frame, Object requestId) {
    String sessionId = sessionIdOf(frame, requestId, null);
    if (sessionId != null) {
      Subscription subscription = subscriptions.remove(sessionId);
      if (subscription != null) {
        subscription.cancel();
        edge.leavePresence(sessionId, connectionId);
      }
    }
  }

  private void onPresence(JsonObject frame, Object requestId) {
    String sessionId = sessionIdOf(frame, requestId, urlSession);
    if (sessionId == null) {
      return;
    }
    if (!principal.canSubscribe(sessionId)) {
      sendError(requestId, ErrorCode.FORBIDDEN, "the token does not allow this session");
      return;
    }
    Object cursor = frame.getValue("cursor");
    Object limit = frame.getValue("limit", PresenceQuery.DEFAULT_LIMIT);
    if ((cursor != null && !(cursor instanceof String)) || !(limit instanceof Integer || limit instanceof Long)
        || ((Number) limit).longValue() < 0) {
      sendError(requestId, ErrorCode.BAD_REQUEST, "cursor must be a string and limit 0-" + PresenceQuery.MAX_LIMIT);
      return;
    }
    PresenceQuery query = new PresenceQuery(sessionId, (String) cursor,
        (int) Math.min(((Number) limit).longValue(), PresenceQuery.MAX_LIMIT));
    edge.services.presenceState(query).onComplete(ar -> {
      if (ar.succeeded()) {
        send(Frames.presenceState(ar.result()));
      } else {
        sendError(requestId, ErrorCode.of(ar.cause()), ErrorCode.messageOf(ar.cause()));
      }
    });
  }

  private void onPublish(JsonObject frame, Object requestId) {
    String sessionId = sessionIdOf(frame, requestId, urlSession);
    if (sessionId == null) {
      return;
    }
    edge.publisher.publish(principal, sessionId, frame).onComplete(ar -> {
      if (ar.succeeded()) {
        rateLimitedInARow = 0;
        send(Frames.ack(requestId, ar.result().seq(), ar.result().timestamp()));
      } else {
        answerFailure(requestId, ar.cause());
      }
    });
  }

  private void onSignal(JsonObject frame, Object requestId) {
    String sessionId = sessionIdOf(frame, requestId, urlSession);
    if (sessionId == null) {
      return;
    }
    edge.publisher.signal(principal, sessionId, frame, connectionId).onComplete(ar -> {
      if (ar.succeeded()) {
        rateLimitedInARow = 0;
      } else {
        answerFailure(requestId, ar.cause());
      }
    });
  }

  /** The frame's session id, its default when absent, or null after answering a bad one. */
  private String sessionIdOf(JsonObject frame, Object requestId, String fallback) {
    Object value = frame.getValue("sessionId");
    String sessionId = value == null ? fallback : value instanceof String s ? s : null;
    if (!SessionIds.isValid(sessionId)) {
      sendError(requestId, ErrorCode.BAD_REQUEST, "sessionId must be 1-128 characters of [A-Za-z0-9._:-]");
      return null;
    }
    return sessionId;
  }

  private void onException(Throwable failure) {
    if (isTooLarge(failure)) {
      closeNow(CloseReason.TOO_LARGE, "frames are limited to " + edge.config.maxFrameBytes() + " bytes");
    } else if (failure instanceof CorruptedWebSocketFrameException) {
      closeNow(CloseReason.PROTOCOL_VIOLATION, "malformed WebSocket frame");
    } else {
      LOG.debug("connection {}: {}", connectionId, failure.toString());
    }
  }

  private static boolean isTooLarge(Throwable failure) {
    if (failure instanceof CorruptedWebSocketFrameException corrupted) {
      return corrupted.closeStatus() != null
          && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
    }
    // Vert.x's message aggregator reports an over-long fragmented message this way.
    return failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size");
  }

  // ---- Subscriber

  @Override
  public String connectionId() {
    return connectionId;
  }

  @Override
  public void placed(Subscription subscription) {
    String sessionId = subscription.sessionId();
    if (!connectedSent && sessionId.equals(urlSession)) {
      sendConnected();
    }
    edge.joinPresence(sessionId, connectionId, principal, frame -> {
      if (subscriptions.containsKey(sessionId)) {
        send(frame);
      }
    });
  }

  @Override
  public void sendEvent(Subscription subscription, EncodedEvent event) {
    if (closing) {
      return;
    }
    if (edge.flushes.active() && !outboundFull()) {
      // Inside a delivery round: queue the frame on the channel and flush once when the round ends. Vert.x holds
      // writes back only while the channel is unwritable, which this branch excludes, so order is kept.
      if (underEncoder != null) {
        // The frame as it goes on the wire, shared by every socket of the round: written below the WebSocket
        // encoder, so no socket builds its own header or copies the payload again.
        underEncoder.write(event.wireFrameForOneWrite(), underEncoder.voidPromise());
      } else {
        channel.write(new TextWebSocketFrame(true, 0, ((BufferInternal) event.frame()).getByteBuf()),
            channel.voidPromise());
      }
      if (!flushPending) {
        flushPending = true;
        edge.flushes.add(this);
      }
    } else {
      ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) event.frame()).getByteBuf(),
          true));
    }
    if (subscription.isLive() && outboundFull()) {
      LOG.info("connection {} closed as a slow consumer (outbound queue past {} bytes)", connectionId,
          edge.config.outboundLimitBytes());
      close(CloseReason.SLOW_CONSUMER, CloseReason.SLOW_CONSUMER.reason());
    }
  }

  @Override
  public void flush() {
    flushPending = false;
    if (!cleanedUp) {
      channel.flush();
    }
  }

  @Override
  public void replayed(Subscription subscription, long lastEventId) {
    send(Frames.replayed(subscription.sessionId(), lastEventId));
  }

  @Override
  public void reset(Subscription subscription, ResetReason reason, long lastEventId) {
    send(Frames.reset(subscription.sessionId(), reason, lastEventId));
  }

  @Override
  public void sendFrame(Buffer frame) {
    send(frame);
  }

  @Override
  public void failed(Subscription subscription, Throwable cause) {
    LOG.warn("connection {}: session {} cannot be served: {}", connectionId, subscription.sessionId(),
        cause.getMessage());
    close(CloseReason.INTERNAL, "the event log is unavailable; reconnect and resume");
  }

  @Override
  public boolean writeQueueFull() {
    return !closing && outboundFull();
  }

  /**
   * Whether the outbound queue is past its limit. Netty's channel counts every byte written, also those of batched
   * writes that bypass Vert.x's own queue (which {@code ws.writeQueueFull()} alone would miss).
   */
  private boolean outboundFull() {
    return !channel.channel().isWritable() || ws.writeQueueFull();
  }

  @Override
  public void whenWritable(Runnable task) {
    writableWaiters.add(task);
  }

  @Override
  public boolean isClosed() {
    return closing;
  }

  // ---- outbound and lifecycle

  private void sendConnected() {
    connectedSent = true;
    send(Frames.connected(connectionId, principal.userId(), edge.config.heartbeatSec()));
  }

  private void send(Buffer frame) {
    if (!closing) {
      ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) frame).getByteBuf(), true));
    }
  }

  private void sendError(Object requestId, ErrorCode code, String message) {
    send(Frames.error(requestId, code, message));
  }

  private void touch() {
    lastSeen = System.currentTimeMillis();
  }

  private void scheduleExpiry() {
    if (expiryTimer != -1) {
      edge.vertx.cancelTimer(expiryTimer);
    }
    long delay = principal.expiresAt() - System.currentTimeMillis();
    if (delay <= 0) {
      close(CloseReason.UNAUTHORIZED, "token expired");
      return;
    }
    expiryTimer = edge.vertx.setTimer(delay, t -> {
      expiryTimer = -1;
      close(CloseReason.UNAUTHORIZED, "token expired");
    });
  }


  /**
   * Closes from inside a failed read. Vert.x defers flushing writes made during a read, and after a decoder error it
   * closes the channel itself without flushing them, which would lose the close frame; so it is flushed at once.
   */
  private void closeNow(CloseReason reason, String message) {
    if (!closing) {
      close(reason, message);
      channel.flush();
    }
  }

  void close(CloseReason reason, String message) {
    if (closing) {
      return;
    }
    closing = true;
    ws.close(reason.code(), clip(message, 120));
  }

  private void cleanUp() {
    if (cleanedUp) {
      return;
    }
    cleanedUp = true;
    closing = true;
    edge.connections.remove(this);
    if (admittedIp != null) {
      edge.clientLimits.release(admittedIp);
    }
    if (authTimer != -1) {
      edge.vertx.cancelTimer(authTimer);
    }
    if (expiryTimer != -1) {
      edge.vertx.cancelTimer(expiryTimer);
    }
    List<String> sessions = new ArrayList<>(subscriptions.keySet());
    for (String sessionId : sessions) {
      Subscription subscription = subscriptions.remove(sessionId);
      if (subscription != null) {
        subscription.cancel();
        edge.leavePresence(sessionId, connectionId);
      }
    }
    writableWaiters.clear();
  }

  /** Cuts text to a byte budget (a close reason may carry at most 123 bytes). */
  private static String clip(String text, int maxBytes) {
    if (text == null) {
      return "";
    }
    String clipped = text;
    while (clipped.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      clipped = clipped.substring(0, clipped.length() - 1);
    }
    return clipped;
  }
}
