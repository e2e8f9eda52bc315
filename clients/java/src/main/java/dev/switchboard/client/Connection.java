package dev.switchboard.client;

import com.eclipsesource.json.JsonObject;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The client's one logical connection to a node and its phases: {@code IDLE}, then {@code CONNECTING} ->
 * {@code CONNECTED} -> {@code RECONNECTING} -> {@code CONNECTING} ... until {@code CLOSED} (or {@code SUSPENDED} in
 * the background). Each attempt opens a new {@link Link} on the transport the ladder names; when it ends, the
 * reconnect policy says whether to stop or when to try again, and while on SSE the upgrade probe looks for a way back
 * to WebSocket.
 *
 * <p>Each attempt has a generation: a link the client has moved on from may still report, and is ignored. Used on
 * the client loop only.
 */
final class Connection {

  private final OkHttpClient http;
  private final HttpUrl baseUrl;
  private final ClientLoop loop;
  private final ClientOptions options;
  private final TokenSource tokens;
  private final Subscriptions subscriptions;
  private final Consumer<JsonObject> onFrame;
  private final Runnable onDisconnected;
  private final Delivery delivery;
  private final TransportLadder ladder;
  private final ReconnectPolicy policy;
  private final LoopTimer retry;
  private final LoopTimer probeTimer;
  private final LoopTimer backgroundTimer;
  private Link link;
  private int generation;
  private boolean wanted;
  private boolean probing;
  /** Read from any thread (SwitchboardClient.state()); written on the loop. */
  private volatile ConnectionState state = new ConnectionState(ConnectionState.Phase.IDLE, null, -1, null, null);

  Connection(OkHttpClient http, HttpUrl baseUrl, ClientLoop loop, ClientOptions options, TokenSource tokens,
      Subscriptions subscriptions, Consumer<JsonObject> onFrame, Runnable onDisconnected, Delivery delivery) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.loop = loop;
    this.options = options;
    this.tokens = tokens;
    this.subscriptions = subscriptions;
    this.onFrame = onFrame;
    this.onDisconnected = onDisconnected;
    this.delivery = delivery;
    this.ladder = new TransportLadder(options.transports, options.fallbackAfter, options.fallbackAfterWorked);
    this.policy = new ReconnectPolicy(new Backoff(options.backoffBaseMs, options.backoffMaxMs), ladder, loop::now,
        options.recoveryMaxMs, options.recoveryWindowMs);
    this.retry = new LoopTimer(loop);
    this.probeTimer = new LoopTimer(loop);
    this.backgroundTimer = new LoopTimer(loop);
  }

  ConnectionState state() {
    return state;
  }

  /** Starts connecting from the best transport; nothing when already started. */
  void start() {
    backgroundTimer.cancel();
    if (wanted) {
      return;
    }
    wanted = true;
    ladder.reset();
    policy.reset();
    tokens.start();
    connectNow();
  }

  /** Closes the link and stays in {@code phase} until {@link #start}. */
  void stop(ConnectionState.Phase phase, String reason, SwitchboardException error) {
    wanted = false;
    generation++;
    retry.cancel();
    probeTimer.cancel();
    backgroundTimer.cancel();
    probing = false;
    tokens.stop();
    dropLink();
    setState(phase, null, -1, reason, error);
  }

  boolean wanted() {
    return wanted;
  }

  /** Sends a frame on the WebSocket; false when not connected on one. */
  boolean sendOnWebSocket(JsonObject frame) {
    return link != null && link.transport() == Transport.WEBSOCKET && link.send(frame);
  }

  void subscribe(String sessionId, String position) {
    if (link != null) {
      link.subscribe(sessionId, position);
    }
  }

  void unsubscribe(String sessionId) {
    if (link != null) {
      link.unsubscribe(sessionId);
    }
  }

  /** A new token is handed to the open link in place. */
  void applyToken(String token) {
    if (wanted && link != null) {
      link.setToken(token);
    }
  }

  /** The network is back or the app in the foreground: reconnect now rather than after the backoff. */
  void wake(String reason) {
    backgroundTimer.cancel();
    if (state.phase() == ConnectionState.Phase.SUSPENDED) {
      start();
      return;
    }
    if (!wanted) {
      return;
    }
    if (retry.armed()) {
      policy.reset();
      setState(ConnectionState.Phase.RECONNECTING, ladder.current(), 0, reason, null);
      connectNow();
    } else if (link != null) {
      link.checkLiveness();
    }
  }

  /** The app went to the background: after the grace (if one is set), close the link until the foreground. */
  void background() {
    if (wanted && options.backgroundGraceMs >= 0) {
      backgroundTimer.arm(options.backgroundGraceMs,
          () -> stop(ConnectionState.Phase.SUSPENDED, "background", null));
    }
  }

  private void connectNow() {
    retry.cancel();
    int attempt = ++generation;
    Transport transport = ladder.current();
    setState(ConnectionState.Phase.CONNECTING, transport, -1, null, null);
    tokens.get().whenComplete((token, failure) -> {
      if (attempt != generation || !wanted) {
        return;
      }
      if (failure != null) {
        SwitchboardException error = Publisher.unwrap(failure);
        delivery.error(error);
        scheduleRetry(policy.afterTokenFailure(), transport, null, error);
        return;
      }
      link = transport == Transport.WEBSOCKET ? new WebSocketLink(context(attempt)) : new SseLink(context(attempt));
      link.open();
    });
  }

  private LinkContext context(int attempt) {
    return new LinkContext(http, baseUrl, loop, options, tokens::current, subscriptions::positions, ladder::cameFrom,
        new LinkContext.Events() {
          @Override
          public void opened() {
            if (attempt == generation && wanted) {
              Connection.this.opened();
            }
          }

          @Override
          public void frame(JsonObject frame) {
            if (attempt == generation && wanted) {
              onFrame.accept(frame);
            }
          }

          @Override
          public void sessionsLost(List<String> sessionIds, SwitchboardException error) {
            if (attempt == generation && wanted) {
              for (String sessionId : sessionIds) {
                if (subscriptions.remove(sessionId)) {
                  delivery.error(error.withSession(sessionId));
                }
              }
            }
          }

          @Override
          public void closed(LinkClosed closed) {
            if (attempt == generation && wanted) {
              Connection.this.closed(closed);
            }
          }
        });
  }

  private void opened() {
    policy.opened();
    setState(ConnectionState.Phase.CONNECTED, link.transport(), -1, null, null);
    scheduleProbe();
  }

  /** The link ended by itself. */
  private void closed(LinkClosed closed) {
    link = null;
    onDisconnected.run();
    if (closed.action == CloseCode.Action.REFRESH_TOKEN) {
      tokens.invalidate();
    }
    ReconnectPolicy.Decision next = policy.afterClose(closed, tokens.canRefresh());
    if (next.stop != null) {
      if (closed.error != null) {
        delivery.error(closed.error);
      }
      stop(ConnectionState.Phase.CLOSED, next.stop, closed.error);
      return;
    }
    scheduleRetry(next.retryInMs, next.transport, next.reason, closed.error);
  }

  private void scheduleRetry(long delayMs, Transport transport, String reason, SwitchboardException error) {
    retry.cancel();
    setState(ConnectionState.Phase.RECONNECTING, transport, delayMs, reason, error);
    retry.arm(delayMs, this::connectNow);
    scheduleProbe();
  }

  /** While on a fallback, try a WebSocket every half to whole probe interval (jittered, so a crowd is not in step). */
  private void scheduleProbe() {
    if (probeTimer.armed() || probing || !wanted || !ladder.onFallback()) {
      return;
    }
    long interval = options.upgradeProbeMs;
    long delay = interval / 2 + (long) (ThreadLocalRandom.current().nextDouble() * interval / 2);
    int round = generation;
    probeTimer.arm(delay, () -> {
      String token = tokens.current();
      if (token == null || !wanted || !ladder.onFallback()) {
        return;
      }
      probing = true;
      WebSocketProbe.probe(context(round), token).whenComplete((works, failure) -> {
        probing = false;
        if (!wanted || !ladder.onFallback()) {
          return;
        }
        if (Boolean.TRUE.equals(works)) {
          upgrade();
        } else {
          scheduleProbe();
        }
      });
    });
  }

  /** A WebSocket probe got through while on a fallback: drop the fallback and connect on WebSocket now. */
  private void upgrade() {
    generation++;
    dropLink();
    ladder.returnToWebSocket();
    policy.reset();
    setState(ConnectionState.Phase.RECONNECTING, Transport.WEBSOCKET, 0, "upgrade", null);
    connectNow();
  }

  private void dropLink() {
    Link dropped = link;
    link = null;
    if (dropped != null) {
      dropped.close();
    }
    onDisconnected.run();
  }

  private void setState(ConnectionState.Phase phase, Transport transport, long retryInMs, String reason,
      SwitchboardException error) {
    state = new ConnectionState(phase, transport, retryInMs, reason, error);
    delivery.state(state);
  }
}
