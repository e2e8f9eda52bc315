package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.realtime.Connections;
import dev.switchboard.realtime.Edge;
import dev.switchboard.realtime.OperatorTarget;
import dev.switchboard.realtime.http.AccessLog;
import dev.switchboard.realtime.hub.EncodedEvent;
import dev.switchboard.realtime.hub.Subscriber;
import dev.switchboard.realtime.hub.Subscription;
import dev.switchboard.realtime.metrics.RateLimitKind;
import dev.switchboard.realtime.metrics.Transport;
import dev.switchboard.realtime.wire.Frames;
import dev.switchboard.realtime.wire.Refusal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * One client WebSocket: wires its socket to the parts that do the work ({@link ClientCommands} reads frames,
 * {@link ConnectionAuth} keeps its token, {@link InboundGuard} its budgets, {@link WebSocketWriter} its outbound side)
 * and answers the commands. It is the {@link Subscriber} of its sessions. Every protocol error leaves through
 * {@link #sendError} (the connection stays open) or {@link #close} (it does not).
 */
public final class WebSocketConnection implements Subscriber, OperatorTarget {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);

  private final ServerWebSocket ws;
  private final WebSocketWriter writer;
  private final Edge edge;
  private final String connectionId = UUID.randomUUID().toString();
  private final String urlSession;
  private final Long urlFrom;
  private final AccessLog.Entry logged;
  private final Runnable release;
  private final SocketSubscriptions subscriptions;
  private final SocketQueries queries;
  private final SocketPublishes publishes;
  private final SocketSessionTokens sessionTokens;
  private final ConnectionAuth auth;
  private final InboundGuard guard;
  private final SignsOfLife life;
  private boolean connectedSent;
  private boolean cleanedUp;
  private boolean flushPending;
  private final long openedAt;

  /**
   * {@code logged} is the upgrade's access-log entry, written when the socket closes; {@code release} frees what the
   * connection limits hold for this socket (docs/PROTOCOL.md, Limits), run on close.
   */
  public WebSocketConnection(ServerWebSocket ws, Edge edge, String urlSession, Long urlFrom, AccessLog.Entry logged,
                             Runnable release) {
    this.ws = ws;
    this.writer = new WebSocketWriter(ws, edge.config.outboundLimitBytes());
    this.logged = logged;
    this.release = release;
    this.edge = edge;
    this.urlSession = urlSession;
    this.urlFrom = urlFrom;
    this.life = new SignsOfLife(edge.timers);
    this.auth = new ConnectionAuth(edge.timers, reason -> writer.close(CloseReason.UNAUTHORIZED, reason));
    this.guard = new InboundGuard(edge.config.maxFramesPerSec(), edge.config.maxInboundBytesPerSec(),
        edge.timers.now());
    this.subscriptions = new SocketSubscriptions(edge.hubs, edge.readPositions, edge.hooks, this,
        edge.config.maxSubscriptions(), this::hookRefused);
    this.queries = new SocketQueries(edge, writer, connectionId);
    this.publishes = new SocketPublishes(edge, writer, guard, connectionId, this::close);
    this.sessionTokens = new SocketSessionTokens(edge, writer, auth::principal,
        sessionId -> unsubscribe(sessionId, Refusal.SESSION_TOKEN_EXPIRED));
    this.openedAt = edge.metrics.connectionOpened(Transport.WEBSOCKET);
  }

  /** Wires the socket; who the client is: its {@code token}, else {@code identified}, else its first auth frame. */
  public void start(String token, Future<Principal> identified) {
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> {
      life.seen();
      if (withinBudget(b.length())) {
        sendError(null, Refusal.BINARY_FRAME);
      }
    });
    life.watch(ws);
    ws.exceptionHandler(failure -> {
      if (!writer.readFailed(failure, edge.config.maxFrameBytes())) {
        LOG.atDebug().addKeyValue(Connections.LOG_KEY, connectionId).log("WebSocket failed: {}", failure.toString());
      }
    });
    ws.closeHandler(v -> cleanUp());
    edge.connections.webSockets.add(this);
    life.seen();
    if (token != null) {
      authenticate(token);
    } else if (identified != null) {
      admit(identified);
    } else {
      auth.awaitToken(edge.config.authTimeout());
    }
  }

  /** Closes a socket refused before it started (its URL, origin or address, or a draining node). */
  public void refuse(Refusal refusal) {
    ws.closeHandler(v -> cleanUp());
    close(refusal);
  }

  /** Called by the edge's heartbeat timer: pings or closes as {@link SignsOfLife#beat} says. */
  public void heartbeat(long now) {
    if (!writer.closing() && life.beat(ws, now, 1_000L * edge.config.heartbeatSec())) {
      close(Refusal.HEARTBEAT_TIMEOUT);
    }
  }

  private void onText(String text) {
    if (writer.closing()) {
      return;
    }
    life.seen();
    // A character counts as a byte: as cheap as the frame's length, and never more than its bytes.
    if (!withinBudget(text.length())) {
      return;
    }
    ClientCommands.Read read = ClientCommands.read(text);
    if (read instanceof ClientCommands.Unreadable unreadable) {
      answer(unreadable.refusal());
      return;
    }
    ClientCommands.Frame frame = (ClientCommands.Frame) read;
    if (auth.principal() == null) {
      beforeAuthentication(frame);
      return;
    }
    execute(ClientCommands.command(frame, urlSession));
  }

  private void execute(ClientCommand command) {
    if (command instanceof ClientCommand.Publish publish) {
      publishes.publish(sessionTokens.widen(auth.principal(), publish.sessionId()), publish);
    } else if (command instanceof ClientCommand.SendSignal signal) {
      publishes.signal(sessionTokens.widen(auth.principal(), signal.sessionId()), signal);
    } else if (command instanceof ClientCommand.Subscribe subscribe) {
      sessionTokens.subscribe(auth::principal, subscribe, subscriptions);
    } else if (command instanceof ClientCommand.Unsubscribe unsubscribe) {
      subscriptions.remove(unsubscribe.sessionId());
      sessionTokens.drop(unsubscribe.sessionId());
    } else if (command instanceof ClientCommand.MarkRead read) {
      queries.markRead(sessionTokens.widen(auth.principal(), read.sessionId()), read);
    } else if (command instanceof ClientCommand.AskPresence ask) {
      queries.presence(sessionTokens.widen(auth.principal(), ask.sessionId()), ask);
    } else if (command instanceof ClientCommand.Authenticate refresh) {
      refresh(refresh);
    } else if (command instanceof ClientCommand.Ping) {
      writer.send(Frames.pong());
    } else {
      answer((ClientCommand.Invalid) command);
    }
  }

  private void answer(ClientCommand.Invalid invalid) {
    sendError(invalid.requestId(), invalid.code(), invalid.message());
  }

  /** Until a token is in force, the only frame taken is the first {@code auth} frame. */
  private void beforeAuthentication(ClientCommands.Frame frame) {
    if (!frame.type().equals("auth") || !auth.awaitingToken()) {
      close(Refusal.AUTHENTICATE_FIRST);
      return;
    }
    String token = ClientCommands.token(frame);
    if (token == null) {
      close(Refusal.AUTH_FRAME_WITHOUT_TOKEN);
      return;
    }
    auth.tokenReceived();
    authenticate(token);
  }

  /** Charges one inbound frame; a flooding client is told once, then closed with 4008 if it keeps going. */
  private boolean withinBudget(int size) {
    long now = edge.timers.now();
    FrameBudget.Verdict verdict = guard.frame(now, size,
        auth.principal() == null ? null : edge.userBudgets.of(auth.principal().userId(), now));
    if (verdict != FrameBudget.Verdict.ACCEPT) {
      edge.metrics.rateLimited(RateLimitKind.FRAMES);
    }
    if (verdict == FrameBudget.Verdict.DROP_FIRST) {
      sendError(null, Refusal.TOO_MANY_FRAMES, edge.config.maxFramesPerSec(), edge.config.maxInboundBytesPerSec());
    } else if (verdict == FrameBudget.Verdict.FLOOD) {
      close(Refusal.FRAME_FLOOD);
    }
    return verdict == FrameBudget.Verdict.ACCEPT;
  }

  private void authenticate(String token) {
    // The canary's loopback subscriber enters here, where tokens are verified (docs/ARCHITECTURE.md, Delivery canary).
    Principal internal = edge.canaryPass.admit(token, ws.remoteAddress());
    admit(internal != null ? Future.succeededFuture(internal) : edge.roles.verify(token));
  }

  /** The client is {@code principal} once it completes; a failure closes with its refusal's code. */
  private void admit(Future<Principal> principal) {
    ws.pause();
    principal.onComplete(ar -> {
      if (writer.closing()) {
        return;
      }
      if (ar.failed()) {
        writer.close(CloseReason.of(ErrorCode.of(ar.cause())), ErrorCode.messageOf(ar.cause()));
        return;
      }
      auth.accept(ar.result());
      if (writer.closing()) {
        return;
      }
      ws.resume();
      if (urlSession == null) {
        sendConnected();
      } else if (!ar.result().canSubscribe(urlSession)) {
        close(Refusal.SESSION_FORBIDDEN);
      } else {
        subscriptions.start(ar.result(), urlSession, urlFrom, null);
      }
    });
  }

  private void refresh(ClientCommand.Authenticate refresh) {
    edge.roles.verify(refresh.token()).onComplete(ar -> {
      if (writer.closing()) {
        return;
      }
      if (ar.failed()) {
        sendError(refresh.requestId(), ErrorCode.of(ar.cause()), ErrorCode.messageOf(ar.cause()));
      } else if (!ar.result().userId().equals(auth.principal().userId())) {
        sendError(refresh.requestId(), Refusal.REFRESH_FOR_ANOTHER_USER);
      } else {
        auth.accept(ar.result());
        // A token with fewer rights takes effect at once: what it no longer allows ends, and says so.
        for (String sessionId : subscriptions.keepOnlyAllowed(id -> sessionTokens.widen(ar.result(), id)
            .canSubscribe(id))) {
          writer.send(Frames.unsubscribed(sessionId, Refusal.SESSION_FORBIDDEN));
        }
      }
    });
  }

  /** A subscribe hook refused: the URL's session closes the socket (4003, or 1011), a subscribe frame is answered. */
  private void hookRefused(Object requestId, String sessionId, Throwable cause) {
    if (requestId == null) {
      writer.close(CloseReason.of(ErrorCode.of(cause)), ErrorCode.messageOf(cause));
    } else {
      sendError(requestId, ErrorCode.of(cause), ErrorCode.messageOf(cause));
    }
  }

  @Override
  public String connectionId() {
    return connectionId;
  }

  @Override
  public Principal principal() {
    return auth.principal();
  }

  @Override
  public void unsubscribe(String sessionId, Refusal why) {
    sessionTokens.drop(sessionId);
    if (!writer.closing() && subscriptions.remove(sessionId)) {
      writer.send(Frames.unsubscribed(sessionId, why));
    }
  }

  @Override
  public Transport transport() {
    return Transport.WEBSOCKET;
  }

  @Override
  public String anonymousType() {
    return auth.principal().isAnonymous() ? auth.principal().actorType() : null;
  }

  @Override
  public PresenceUser presenceUser() {
    return auth.principal().presenceUser();
  }

  @Override
  public void placed(Subscription subscription) {
    if (!connectedSent && subscription.sessionId().equals(urlSession)) {
      sendConnected();
    }
  }

  @Override
  public void sendEvent(Subscription subscription, EncodedEvent event) {
    if (writer.sendEvent(event, edge.flushes.active(), flushPending)) {
      flushPending = true;
      edge.flushes.add(this);
    }
    if (subscription.isLive() && writeQueueFull()) {
      LOG.atInfo().addKeyValue(Connections.LOG_KEY, connectionId)
          .log("WebSocket closed as a slow consumer (outbound queue past {} bytes)", edge.config.outboundLimitBytes());
      edge.metrics.slowConsumerClosed();
      close(Refusal.SLOW_CONSUMER);
    }
  }

  @Override
  public void flush() {
    flushPending = false;
    writer.flush();
  }

  @Override
  public void replayed(Subscription subscription, long lastEventId) {
    String sessionId = subscription.sessionId();
    writer.send(Frames.replayed(sessionId, lastEventId, subscriptions.positions(sessionId)));
  }

  @Override
  public void reset(Subscription subscription, ResetReason reason, long lastEventId) {
    writer.send(Frames.reset(subscription.sessionId(), reason, lastEventId));
  }

  @Override
  public void sendFrame(Buffer frame) {
    writer.send(frame);
  }

  @Override
  public void failed(Subscription subscription, Throwable cause) {
    LOG.atWarn().addKeyValue(Connections.LOG_KEY, connectionId)
        .log("WebSocket closed: session {} cannot be served: {}", subscription.sessionId(), cause.getMessage());
    close(Refusal.EVENT_LOG_UNAVAILABLE);
  }

  @Override
  public boolean writeQueueFull() {
    return !writer.closing() && writer.outboundFull();
  }

  @Override
  public void whenWritable(Runnable task) {
    writer.whenWritable(task);
  }

  @Override
  public boolean isFinished() {
    return writer.closing();
  }

  private void sendConnected() {
    connectedSent = true;
    writer.send(Frames.connected(connectionId, auth.principal().userId(), edge.config.heartbeatSec()));
  }

  private void sendError(Object requestId, ErrorCode code, String message) {
    writer.send(Frames.error(requestId, code, message));
  }

  private void sendError(Object requestId, Refusal refusal, Object... args) {
    sendError(requestId, refusal.code(), refusal.message(args));
  }

  /** Closes with the refusal's close code and text. */
  @Override
  public void close(Refusal refusal, Object... args) {
    writer.close(refusal.close(), refusal.message(args));
  }

  private void cleanUp() {
    if (cleanedUp) {
      return;
    }
    cleanedUp = true;
    edge.metrics.connectionClosed(Transport.WEBSOCKET, openedAt, writer.closeCode());
    edge.accessLog.webSocketClosed(logged, connectionId, writer.closeCode());
    writer.release();
    edge.connections.webSockets.remove(this);
    release.run();
    auth.close();
    sessionTokens.close();
    subscriptions.cancelAll();
  }
}
