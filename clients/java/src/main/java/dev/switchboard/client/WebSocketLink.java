package dev.switchboard.client;

import com.eclipsesource.json.JsonObject;

import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * The WebSocket transport: {@code GET /events} upgraded with the token in {@code Authorization}, then one
 * {@code subscribe} frame per session with its resume position once {@code connected} arrives.
 *
 * <p>Liveness: OkHttp answers the server's pings but does not show them, and a phone that changes networks keeps a
 * half-open connection that reports no error, so when nothing has arrived for {@code heartbeatSec} the link sends
 * {@code {"type":"ping"}} and gives up if nothing follows within the pong timeout, by default {@code heartbeatSec}
 * again (docs/PROTOCOL.md, Recommended client behaviour).
 */
final class WebSocketLink implements Link {

  private static final long DEFAULT_HEARTBEAT_MS = 5_000;
  private static final int NORMAL_CLOSURE = 1000;

  private final LinkContext ctx;
  private final LoopTimer watchdog;
  private WebSocket socket;
  private boolean open;
  private boolean ended;
  private long lastFrameAt;
  private long pingSentAt = -1;
  private long heartbeatMs = DEFAULT_HEARTBEAT_MS;
  private SwitchboardException closeError;

  WebSocketLink(LinkContext ctx) {
    this.ctx = ctx;
    this.watchdog = new LoopTimer(ctx.loop);
  }

  @Override
  public Transport transport() {
    return Transport.WEBSOCKET;
  }

  @Override
  public void open() {
    Request request = new Request.Builder().url(ctx.eventsUrl().build())
        .header("Authorization", "Bearer " + ctx.token.get()).build();
    socket = ctx.http.newWebSocket(request, new Listener());
    watchdog.arm(ctx.options.connectTimeoutMs, () -> {
      if (!open) {
        fail("connect timeout");
      }
    });
  }

  @Override
  public boolean send(JsonObject frame) {
    return open && !ended && socket.send(frame.toString());
  }

  @Override
  public void subscribe(String sessionId, String position) {
    send(Frames.subscribe(sessionId, position));
  }

  @Override
  public void unsubscribe(String sessionId) {
    send(Frames.unsubscribe(sessionId));
  }

  @Override
  public void setToken(String token) {
    send(Frames.auth(token));
  }

  @Override
  public void checkLiveness() {
    if (open && !ended && pingSentAt < 0) {
      ping();
    }
  }

  @Override
  public void close() {
    ended = true;
    watchdog.cancel();
    if (socket != null) {
      socket.close(NORMAL_CLOSURE, null);
    }
  }

  private void receive(String text) {
    if (ended) {
      return;
    }
    lastFrameAt = ctx.loop.now();
    pingSentAt = -1;
    JsonObject frame = Frames.parse(text);
    if (frame == null) {
      return;
    }
    String type = Frames.type(frame);
    if ("connected".equals(type) && !open) {
      open = true;
      int heartbeatSec = Frames.integer(frame, "heartbeatSec", 0);
      if (heartbeatSec > 0) {
        heartbeatMs = heartbeatSec * 1000L;
      }
      ctx.events.opened();
      for (LinkContext.SessionPosition session : ctx.sessions.get()) {
        send(Frames.subscribe(session.sessionId, session.position));
      }
      watch();
      return;
    }
    if ("pong".equals(type)) {
      return;
    }
    if ("error".equals(type) && frame.get("requestId") == null && "unauthorized".equals(Frames.string(frame, "code"))) {
      closeError = HttpErrors.fromFrame(frame, "unauthorized");
    }
    ctx.events.frame(frame);
  }

  private void watch() {
    if (ended) {
      return;
    }
    long now = ctx.loop.now();
    long pongTimeoutMs = pongTimeoutMs();
    if (pingSentAt >= 0) {
      long waited = now - pingSentAt;
      if (waited >= pongTimeoutMs) {
        fail("no pong: the connection is dead");
      } else {
        watchdog.arm(pongTimeoutMs - waited, this::watch);
      }
      return;
    }
    long quiet = now - lastFrameAt;
    if (quiet >= heartbeatMs) {
      ping();
    } else {
      watchdog.arm(heartbeatMs - quiet, this::watch);
    }
  }

  /** The option when set, else the server's interval: a silent drop is noticed within two intervals. */
  private long pongTimeoutMs() {
    return ctx.options.pongTimeoutMs > 0 ? ctx.options.pongTimeoutMs : heartbeatMs;
  }

  private void ping() {
    pingSentAt = ctx.loop.now();
    send(Frames.ping());
    watchdog.arm(pongTimeoutMs(), this::watch);
  }

  /** Gives up on a connection that will not or no longer answers. */
  private void fail(String reason) {
    socket.cancel();
    finish(new LinkClosed(open, CloseCode.Action.RECONNECT,
        new SwitchboardException(ErrorCode.TIMEOUT, reason)));
  }

  private void closedByServer(int code, String reason) {
    CloseCode close = CloseCode.of(code);
    SwitchboardException error = close.error(reason);
    finish(new LinkClosed(open, close.action(), error != null ? error : closeError));
  }

  private void finish(LinkClosed closed) {
    if (ended) {
      return;
    }
    ended = true;
    watchdog.cancel();
    ctx.events.closed(closed);
  }

  /** OkHttp's callbacks, on its threads: each hops onto the client loop in the order it came. */
  private final class Listener extends WebSocketListener {
    @Override
    public void onMessage(WebSocket webSocket, String text) {
      ctx.loop.execute(() -> receive(text));
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(NORMAL_CLOSURE, null);
      ctx.loop.execute(() -> closedByServer(code, reason));
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      ctx.loop.execute(() -> closedByServer(code, reason));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
      // The server upgrades every request to /events and refuses with close codes; an HTTP answer to the upgrade
      // comes from something in the way (a proxy), which is a failure to connect like any other.
      String why = response != null && response.code() != 101
          ? "the WebSocket upgrade was answered HTTP " + response.code()
          : "the connection dropped: " + failure;
      ctx.loop.execute(() -> finish(new LinkClosed(open, CloseCode.Action.RECONNECT,
          SwitchboardException.of(ErrorCode.NETWORK, why, failure))));
    }
  }
}
