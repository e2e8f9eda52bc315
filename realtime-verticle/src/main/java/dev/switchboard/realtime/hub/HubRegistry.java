package dev.switchboard.realtime.hub;

import dev.switchboard.realtime.metrics.EdgeMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One edge loop's hubs, one per session with subscribers on this loop (docs/ARCHITECTURE.md, Fan-out and Threading).
 * The node's {@link LiveFeed} receives the session's events from the bus, encodes them once, and hands them to every
 * loop with a hub of the session; this registry passes them to its hubs and runs their head checks. Never a bus
 * consumer per socket, nor per loop.
 *
 * <p>Not thread-safe: made on its loop and used there; the feed calls it through the loop's task queue.
 */
public final class HubRegistry {

  private final Vertx vertx;
  private final Context context;
  private final LiveFeed feed;
  private final EventLog log;
  private final int replayPage;
  private final FlushBatch flushes;
  private final SubscriptionPresence presence;
  private final Map<String, SessionHub> hubs = new HashMap<>();
  private final HeadChecks headChecks;
  private final EdgeMetrics metrics;
  private final long headCheckTimer;
  private boolean forceHeadChecks;

  public HubRegistry(Vertx vertx, LiveFeed feed, EventLog log, int replayPage, FlushBatch flushes,
                     SubscriptionPresence presence, EdgeMetrics metrics) {
    this(vertx, feed, log, replayPage, flushes, presence, HeadChecks.DEFAULT, metrics);
  }

  public HubRegistry(Vertx vertx, LiveFeed feed, EventLog log, int replayPage, FlushBatch flushes,
                     SubscriptionPresence presence, HeadChecks headChecks, EdgeMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.feed = feed;
    this.log = log;
    this.replayPage = replayPage;
    this.flushes = flushes;
    this.presence = presence;
    this.headChecks = headChecks;
    this.headCheckTimer = vertx.setPeriodic(HeadChecks.TICK_MS, t -> checkHeads());
    feed.attach(this);
  }

  /** The loop this registry, its hubs and their subscribers run on. */
  Context context() {
    return context;
  }

  /** The cluster's membership changed: every hub checks its head at the next tick. */
  void forceHeadChecks() {
    forceHeadChecks = true;
  }

  /** Asks the log for the head of every hub that is due a check (see {@link SessionHub#headCheckDue}). */
  private void checkHeads() {
    long now = System.currentTimeMillis();
    boolean force = forceHeadChecks;
    forceHeadChecks = false;
    for (SessionHub hub : hubs.values()) {
      if (hub.headCheckDue(now, headChecks, force)) {
        hub.checkHead(now);
      }
    }
  }

  /**
   * Joins a session's hub, creating it (and telling the feed) if this loop has none yet. Nothing is sent to the
   * subscriber until the caller, having kept the subscription, calls {@link Subscription#start()}.
   */
  public Subscription subscribe(String sessionId, Subscriber subscriber, Long fromEventId) {
    SessionHub hub = hubs.get(sessionId);
    if (hub == null) {
      hub = new SessionHub(sessionId, log, vertx, replayPage, flushes, presence, this::release, metrics);
      hubs.put(sessionId, hub);
      feed.want(this, sessionId, hub::start);
    }
    return hub.join(subscriber, fromEventId);
  }

  /** How many subscribers this loop has in {@code sessionId}, whatever their state. */
  public int subscribers(String sessionId) {
    SessionHub hub = hubs.get(sessionId);
    return hub == null ? 0 : hub.size();
  }

  public void close() {
    vertx.cancelTimer(headCheckTimer);
    feed.detach(this);
  }

  private void release(SessionHub hub) {
    if (hubs.remove(hub.sessionId(), hub)) {
      feed.drop(this, hub.sessionId());
    }
  }

  /**
   * A committed batch's events of this loop's sessions, each encoded once for the node, written in one flush round;
   * every one is released, and the last loop to finish with an event records its fan-out once its writes are flushed.
   */
  void onLive(List<LiveFeed.LiveEvent> events) {
    try {
      flushes.around(() -> {
        for (int i = 0; i < events.size(); i++) {
          LiveFeed.LiveEvent live = events.get(i);
          SessionHub hub = hubs.get(live.event().sessionId());
          if (hub != null) {
            hub.onLive(live.event(), live.encoded());
          }
        }
      });
    } finally {
      // After the round's flush: the fan-out ends when its last write has left, on the last loop to finish.
      for (int i = 0; i < events.size(); i++) {
        EncodedEvent encoded = events.get(i).encoded();
        if (encoded.lastLoopDone()) {
          metrics.fannedOut(encoded.committedAtMicros());
        }
        encoded.release();
      }
    }
  }

  /** A presence or signal frame for the session's subscribers on this loop. */
  void broadcast(String sessionId, Buffer frame, Buffer unnamedFrame, String exceptConnectionId) {
    SessionHub hub = hubs.get(sessionId);
    if (hub != null) {
      hub.broadcast(frame, unnamedFrame, exceptConnectionId);
    }
  }
}
