package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fans one session's events out to this edge's subscribers, in eventId order, each event encoded once.
 *
 * <p>Its {@link LiveOrder} puts the live events in order: {@code delivered()} is the last eventId the hub delivered
 * live (the session's head as far as the hub knows; {@link dev.switchboard.protocol.ReplayResult#head()} is the
 * log's), and no subscriber sees a gap or a reordering whatever the bus does (docs/ARCHITECTURE.md, Fan-out).
 *
 * <p>A subscriber that resumes from an eventId starts in the replaying state: the hub does not send it live events;
 * it pages the log from its position up to the hub's head, and joins the live set only once it has reached the head.
 * Because that check and the move happen on the event loop between two deliveries, nothing is lost or repeated at the
 * hand-over, however fast events arrive meanwhile.
 *
 * <p>Not thread-safe: every method runs on its loop's event loop (docs/ARCHITECTURE.md, Threading).
 */
public final class SessionHub {

  private static final Logger LOG = LoggerFactory.getLogger(SessionHub.class);

  private enum State { STARTING, READY, CLOSED }

  private final String sessionId;
  private final EventLog log;
  /** Catch-up reads, shared by subscribers resuming together (a crowd after a restart). */
  private final SharedReplays replays;
  private final int replayPage;
  private final FlushBatch flushes;
  private final EdgeMetrics metrics;
  private final SubscriptionPresence presence;
  private final Consumer<SessionHub> onEmpty;

  private State state = State.STARTING;
  /** Why the head could not be read, once it could not: the hub is closed and fails whoever still starts on it. */
  private Throwable headFailure;
  /** Joined but not started yet: counted, so the hub stays open, but sent nothing. */
  private final List<Subscription> joining = new ArrayList<>(1);
  private final List<Subscription> waiting = new ArrayList<>();
  private final List<Subscription> replaying = new ArrayList<>();
  private final ArrayList<Subscription> live = new ArrayList<>();
  private final LiveOrder order;
  private final HeadWatch headWatch = new HeadWatch();
  private boolean delivering;
  private boolean liveNeedsCompaction;

  SessionHub(String sessionId, EventLog log, Vertx vertx, int replayPage, FlushBatch flushes,
             SubscriptionPresence presence, Consumer<SessionHub> onEmpty, EdgeMetrics metrics) {
    this.metrics = metrics;
    this.sessionId = sessionId;
    this.log = log;
    this.replays = new SharedReplays(log, () -> System.nanoTime() / 1_000_000);
    this.replayPage = replayPage;
    this.flushes = flushes;
    this.presence = presence;
    this.onEmpty = onEmpty;
    this.order = new LiveOrder(sessionId, log, vertx, flushes, metrics, () -> state != State.CLOSED,
        this::deliverLive);
  }

  public String sessionId() {
    return sessionId;
  }

  /** Subscribers in every state. */
  public int size() {
    return joining.size() + waiting.size() + replaying.size() + live.size();
  }

  /**
   * Learns the session's head; called once the live consumer for the session's shard is registered, so that every
   * event stored after the head was read also arrives live (or is repaired).
   */
  void start() {
    log.replay(ReplayRequest.head(sessionId)).onComplete(ar -> {
      if (state == State.CLOSED) {
        return;
      }
      if (ar.failed()) {
        // Give up at once: the next subscriber gets a new hub that reads again; later starts here fail in admit().
        LOG.warn("session {}: cannot read its head: {}", sessionId, ar.cause().getMessage());
        headFailure = ar.cause();
        List<Subscription> failed = new ArrayList<>(waiting);
        waiting.clear();
        state = State.CLOSED;
        order.clear();
        onEmpty.accept(this);
        failed.forEach(s -> s.subscriber().failed(s, ar.cause()));
        return;
      }
      order.start(ar.result().head());
      state = State.READY;
      List<Subscription> joiners = new ArrayList<>(waiting);
      waiting.clear();
      joiners.forEach(this::place);
      order.deliverHeld();
    });
  }

  /**
   * Adds a subscriber, and calls none of its methods yet: the caller keeps the subscription, then
   * {@link Subscription#start() starts} it. {@code fromEventId} null means live from now on.
   */
  Subscription join(Subscriber subscriber, Long fromEventId) {
    Subscription subscription = new Subscription(this, subscriber, fromEventId, metrics);
    joining.add(subscription);
    return subscription;
  }

  /**
   * Starts a joined subscription: from here on the subscriber's methods are called, beginning with {@code placed}
   * once every later event is certain to reach it (at once when the hub knows its head, else when it has read it).
   */
  void admit(Subscription subscription) {
    if (!joining.remove(subscription)) {
      return;
    }
    if (headFailure != null) {
      subscription.subscriber().failed(subscription, headFailure);
    } else if (state == State.READY) {
      place(subscription);
    } else {
      waiting.add(subscription);
    }
  }

  void leave(Subscription subscription) {
    presence.left(subscription);
    if (!joining.remove(subscription) && !waiting.remove(subscription) && !replaying.remove(subscription)) {
      if (delivering) {
        liveNeedsCompaction = true;
      } else {
        live.remove(subscription);
      }
    }
    closeIfEmpty();
  }

  /**
   * A live event from this session's shard, in commit order as the bus delivered it, already encoded (by the node's
   * {@link LiveFeed}, with its batch's commit time for the latency metrics); the caller releases it.
   */
  void onLive(StoredEvent event, EncodedEvent encoded) {
    if (state == State.CLOSED) {
      return;
    }
    headWatch.liveArrived();
    if (state == State.STARTING) {
      order.hold(event);
    } else {
      order.arrived(event, encoded);
    }
  }

  /** Whether this hub's head check is due at {@code now} ({@link HeadChecks#due}). */
  boolean headCheckDue(long now, HeadChecks checks, boolean force) {
    return state == State.READY && headWatch.due(now, checks, force);
  }

  /** Reads the session's head from the log and repairs up to it if the hub is behind. */
  void checkHead(long now) {
    headWatch.reading(now);
    log.replay(ReplayRequest.head(sessionId)).onComplete(ar -> {
      headWatch.read();
      if (state == State.READY && ar.succeeded()) {
        order.logHeadIs(ar.result().head());
      }
    });
  }

  /**
   * A presence or signal frame for every placed subscriber but the one whose connection sent it. An anonymous
   * subscriber sees no user: it gets {@code unnamedFrame}, the frame without users, or nothing when that is null.
   */
  void broadcast(Buffer frame, Buffer unnamedFrame, String exceptConnectionId) {
    for (List<Subscription> group : List.of(live, replaying)) {
      for (int i = 0; i < group.size(); i++) {
        Subscriber subscriber = group.get(i).subscriber();
        if (subscriber.isFinished() || subscriber.connectionId().equals(exceptConnectionId)) {
          continue;
        }
        Buffer sent = subscriber.anonymous() ? unnamedFrame : frame;
        if (sent != null) {
          subscriber.sendFrame(sent);
        }
      }
    }
  }

  private void place(Subscription subscription) {
    if (subscription.isClosed()) {
      return;
    }
    if (subscription.fromEventId() == null) {
      subscription.startAt(order.delivered());
      placed(subscription);
      goLive(subscription);
    } else {
      subscription.startAt(subscription.fromEventId());
      replaying.add(subscription);
      placed(subscription);
      replayStep(subscription, true);
    }
  }

  private void placed(Subscription subscription) {
    subscription.subscriber().placed(subscription);
    if (!subscription.isClosed()) {
      presence.placed(subscription);
    }
  }

  /**
   * One page of a subscriber's catch-up. The first step always asks the log, even when the subscriber claims to be at
   * or past the head, so that an unknown or expired position is answered with {@code reset}.
   */
  private void replayStep(Subscription subscription, boolean first) {
    if (subscription.isClosed() || state == State.CLOSED) {
      return;
    }
    Subscriber subscriber = subscription.subscriber();
    if (subscriber.writeQueueFull()) {
      subscriber.whenWritable(() -> replayStep(subscription, first));
      return;
    }
    long target = order.delivered();
    if (!first && subscription.position() >= target) {
      replaying.remove(subscription);
      goLive(subscription);
      return;
    }
    replays.read(new ReplayRequest(sessionId, subscription.position(), target, replayPage)).onComplete(ar -> {
      if (subscription.isClosed() || state == State.CLOSED) {
        return;
      }
      if (ar.failed()) {
        replaying.remove(subscription);
        subscriber.failed(subscription, ar.cause());
        closeIfEmpty();
        return;
      }
      ReplayResult page = ar.result();
      if (page.reset() != null) {
        resetToLive(subscription, page.reset());
        return;
      }
      if (page.events().isEmpty() && subscription.position() < target) {
        if (subscription.position() == 0) {
          // "From 0" asks for whatever is retained, and nothing is: continue from the head.
          subscription.startAt(target);
        } else {
          // The log no longer holds what the hub delivered: retention raced the replay.
          resetToLive(subscription, ResetReason.HISTORY_EXPIRED);
          return;
        }
      }
      flushes.around(() -> {
        for (StoredEvent event : page.events()) {
          EncodedEvent encoded = EncodedEvent.of(event);
          subscription.deliver(encoded);
          encoded.release();
        }
      });
      replayStep(subscription, false);
    });
  }

  private void resetToLive(Subscription subscription, ResetReason reason) {
    replaying.remove(subscription);
    subscription.startAt(order.delivered());
    subscription.goLive();
    live.add(subscription);
    metrics.resumed(subscription.subscriber().transport(), true);
    subscription.subscriber().reset(subscription, reason, order.delivered());
  }

  private void goLive(Subscription subscription) {
    if (subscription.fromEventId() != null) {
      metrics.resumed(subscription.subscriber().transport(), false);
    }
    subscription.goLive();
    live.add(subscription);
    subscription.subscriber().replayed(subscription, subscription.position());
  }

  /** The next event in order ({@link LiveOrder}), to every live subscriber. */
  private void deliverLive(EncodedEvent encoded) {
    if (live.isEmpty()) {
      return;
    }
    delivering = true;
    try {
      for (int i = 0, n = live.size(); i < n; i++) {
        live.get(i).deliver(encoded);
      }
    } finally {
      delivering = false;
    }
    if (encoded.isShared()) {
      // Its fan-out ends on the last loop that has it (HubRegistry#onLive).
      encoded.fannedOutOnOneLoop();
    } else {
      metrics.fannedOut(encoded.committedAtMicros());
    }
    if (liveNeedsCompaction) {
      liveNeedsCompaction = false;
      live.removeIf(Subscription::isClosed);
      closeIfEmpty();
    }
  }

  private void closeIfEmpty() {
    if (state != State.CLOSED && size() == 0) {
      state = State.CLOSED;
      order.clear();
      replays.clear();
      onEmpty.accept(this);
    }
  }
}
