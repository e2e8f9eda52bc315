package dev.switchboard.realtime.poll;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.realtime.Edge;
import dev.switchboard.realtime.OperatorTarget;
import dev.switchboard.realtime.http.HttpErrors;
import dev.switchboard.realtime.hub.EncodedEvent;
import dev.switchboard.realtime.hub.Subscriber;
import dev.switchboard.realtime.hub.Subscription;
import dev.switchboard.realtime.metrics.Transport;
import dev.switchboard.realtime.presence.EdgePresence;
import dev.switchboard.realtime.wire.Frames;
import dev.switchboard.realtime.wire.Refusal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One waiting {@code GET /poll}: a short-lived subscriber of the session's hub, answered as soon as events after its
 * position exist (woken by the live event itself, not by a timer) or when its timeout passes. While it waits, and for
 * a grace period after, its user counts as present in the session ({@link EdgePresence#pollStarted}).
 *
 * <pre>
 * {"events":[{"type":"event","eventId":"43",...}],"lastEventId":"43"}
 * {"reset":{"reason":"history_expired","lastEventId":"980"}}
 * </pre>
 */
public final class LongPoll implements Subscriber, OperatorTarget {

  private final RoutingContext ctx;
  private final Edge edge;
  private final Principal principal;
  private final String connectionId = UUID.randomUUID().toString();
  private final List<Buffer> events = new ArrayList<>();
  private long lastEventId;
  private long timeoutMs;
  private Subscription subscription;
  private long timer = -1;
  private boolean answerScheduled;
  private boolean answered;
  private String presentIn;
  private final Runnable release;
  private long openedAt;

  /** {@code release} frees what the connection limits hold for this poll (docs/PROTOCOL.md, Limits). */
  LongPoll(RoutingContext ctx, Edge edge, Principal principal, Long fromEventId, Runnable release) {
    this.ctx = ctx;
    this.release = release;
    this.edge = edge;
    this.principal = principal;
    this.lastEventId = fromEventId == null ? -1 : fromEventId;
  }

  void start(String sessionId, Long fromEventId, long timeoutMs) {
    this.timeoutMs = timeoutMs;
    ctx.response().closeHandler(v -> finish(CloseReason.NORMAL));
    edge.connections.polls.add(this);
    edge.accessLog.connection(ctx.response(), connectionId);
    openedAt = edge.metrics.connectionOpened(Transport.POLL);
    presentIn = sessionId;
    edge.presence.pollStarted(sessionId, principal.presenceUser());
    subscription = edge.hubs.subscribe(sessionId, this, fromEventId);
    subscription.start();
  }

  /** Answers at once with what it has (drain, expiry). */
  public void answer() {
    if (answered) {
      return;
    }
    if (!events.isEmpty()) {
      edge.delivered.polled(principal.userId(), subscription.sessionId(), lastEventId);
    }
    finish(CloseReason.NORMAL);
    Buffer body = Frames.eventPage(events, Math.max(0, lastEventId), null);
    respond(body);
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
    if (!answered) {
      finish(refusal.close());
      HttpErrors.send(ctx, refusal, args);
    }
  }

  /** A poll waits on one session: unsubscribed from it, it is answered with 403 naming it. */
  @Override
  public void unsubscribe(String sessionId, Refusal why) {
    if (!answered && subscription != null && subscription.sessionId().equals(sessionId)) {
      finish(CloseReason.FORBIDDEN);
      HttpErrors.refuseSessions(ctx, why, List.of(sessionId));
    }
  }

  @Override
  public Transport transport() {
    return Transport.POLL;
  }

  /**
   * The wait starts once the position is known, so even {@code timeoutMs=0} answers with the real head. A token that
   * expires before the wait is over ends the poll at its {@code exp} with 401, as a WebSocket or SSE stream ends.
   */
  @Override
  public void placed(Subscription subscription) {
    long untilExpiry = principal.expiresAt() - edge.timers.now();
    boolean expiresFirst = untilExpiry < timeoutMs;
    timer = edge.timers.schedule(expiresFirst ? untilExpiry : timeoutMs, () -> {
      timer = -1;
      if (expiresFirst) {
        expired();
      } else {
        answer();
      }
    });
  }

  private void expired() {
    if (!answered) {
      finish(CloseReason.UNAUTHORIZED);
      HttpErrors.send(ctx, Refusal.TOKEN_EXPIRED);
    }
  }

  @Override
  public void sendEvent(Subscription subscription, EncodedEvent event) {
    events.add(event.frame());
    lastEventId = event.seq();
    // Answer after the current delivery round, so events that arrive together leave together.
    if (!answerScheduled) {
      answerScheduled = true;
      edge.vertx.runOnContext(v -> answer());
    }
  }

  @Override
  public void replayed(Subscription subscription, long lastEventId) {
    if (this.lastEventId < 0) {
      this.lastEventId = lastEventId;
    }
  }

  @Override
  public void reset(Subscription subscription, ResetReason reason, long lastEventId) {
    if (answered) {
      return;
    }
    finish(CloseReason.NORMAL);
    respond(new JsonObject().put("reset", Frames.resetInfo(reason, lastEventId)).toBuffer());
  }

  @Override
  public void sendFrame(Buffer frame) {
  }

  @Override
  public void failed(Subscription subscription, Throwable cause) {
    if (!answered) {
      finish(CloseReason.INTERNAL);
      HttpErrors.send(ctx, Refusal.EVENT_LOG_UNAVAILABLE_FOR_POLL);
    }
  }

  @Override
  public boolean isFinished() {
    return answered;
  }

  private void respond(Buffer body) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-cache").end(body);
    }
  }

  /** Ends the wait; {@code how} is the WebSocket close code equivalent, for the connection metrics. */
  private void finish(CloseReason how) {
    answered = true;
    if (edge.connections.polls.remove(this)) {
      edge.metrics.connectionClosed(Transport.POLL, openedAt, how.code());
      release.run();
    }
    if (timer != -1) {
      edge.timers.cancel(timer);
      timer = -1;
    }
    if (subscription != null) {
      subscription.cancel();
    }
    if (presentIn != null) {
      edge.presence.pollEnded(presentIn, principal.userId());
      presentIn = null;
    }
  }
}
