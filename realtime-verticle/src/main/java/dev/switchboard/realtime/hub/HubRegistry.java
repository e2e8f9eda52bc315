package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.LiveBatch;
import dev.switchboard.protocol.PresenceDiff;
import dev.switchboard.protocol.Signal;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import dev.switchboard.realtime.wire.Frames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.HashMap;
import java.util.Map;

/**
 * This edge's hubs, one per session with local subscribers, and the bus consumers that feed them: one per live shard
 * that has hubs, one for presence diffs and one for signals. Never one per socket (docs/ARCHITECTURE.md, Fan-out,
 * Cluster, and Vert.x 5 facts the code relies on).
 */
public final class HubRegistry {

  private final Vertx vertx;
  private final EventLog log;
  private final int replayPage;
  private final FlushBatch flushes;
  private final SubscriptionPresence presence;
  private final Map<String, SessionHub> hubs = new HashMap<>();
  private final Shard[] shards = new Shard[Addresses.LIVE_SHARDS];
  private final MessageConsumer<PresenceDiff> presenceConsumer;
  private final MessageConsumer<Signal> signalConsumer;
  private final MessageConsumer<Object> membershipConsumer;
  private final HeadChecks headChecks;
  private final EdgeMetrics metrics;
  private final long headCheckTimer;
  private boolean forceHeadChecks;

  public HubRegistry(Vertx vertx, EventLog log, int replayPage, FlushBatch flushes, SubscriptionPresence presence) {
    this(vertx, log, replayPage, flushes, presence, HeadChecks.DEFAULT, EdgeMetrics.none());
  }

  public HubRegistry(Vertx vertx, EventLog log, int replayPage, FlushBatch flushes, SubscriptionPresence presence,
                     EdgeMetrics metrics) {
    this(vertx, log, replayPage, flushes, presence, HeadChecks.DEFAULT, metrics);
  }

  public HubRegistry(Vertx vertx, EventLog log, int replayPage, FlushBatch flushes, SubscriptionPresence presence,
                     HeadChecks headChecks) {
    this(vertx, log, replayPage, flushes, presence, headChecks, EdgeMetrics.none());
  }

  public HubRegistry(Vertx vertx, EventLog log, int replayPage, FlushBatch flushes, SubscriptionPresence presence,
                     HeadChecks headChecks, EdgeMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.log = log;
    this.replayPage = replayPage;
    this.flushes = flushes;
    this.presence = presence;
    this.headChecks = headChecks;
    this.presenceConsumer = vertx.eventBus().consumer(Addresses.PRESENCE_CHANGES, this::onPresence);
    this.signalConsumer = vertx.eventBus().consumer(Addresses.SIGNALS, this::onSignal);
    // Local only: each process learns of membership changes from its own cluster manager.
    this.membershipConsumer = vertx.eventBus().localConsumer(Addresses.CLUSTER_MEMBERSHIP,
        message -> forceHeadChecks = true);
    this.headCheckTimer = vertx.setPeriodic(HeadChecks.TICK_MS, t -> checkHeads());
  }

  /** Completes once the registry's own consumers are registered. */
  public Future<Void> ready() {
    return Future.all(presenceConsumer.completion(), signalConsumer.completion()).mapEmpty();
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
   * Joins a session's hub, creating it (and the shard's consumer) if this edge has none yet. Nothing is sent to the
   * subscriber until the caller, having kept the subscription, calls {@link Subscription#start()}.
   */
  public Subscription subscribe(String sessionId, Subscriber subscriber, Long fromEventId) {
    SessionHub hub = hubs.get(sessionId);
    if (hub == null) {
      hub = new SessionHub(sessionId, log, vertx, replayPage, flushes, presence, this::release, metrics);
      hubs.put(sessionId, hub);
      Shard shard = shardFor(sessionId);
      shard.hubs++;
      SessionHub starting = hub;
      shard.consumer.completion().onComplete(ar -> starting.start());
    }
    return hub.join(subscriber, fromEventId);
  }

  public Future<Void> close() {
    vertx.cancelTimer(headCheckTimer);
    Future<Void> all = Future.all(presenceConsumer.unregister(), signalConsumer.unregister(),
        membershipConsumer.unregister()).mapEmpty();
    for (int i = 0; i < shards.length; i++) {
      if (shards[i] != null) {
        shards[i].consumer.unregister();
        shards[i] = null;
      }
    }
    return all;
  }

  private Shard shardFor(String sessionId) {
    int index = Addresses.shardOf(sessionId);
    Shard shard = shards[index];
    if (shard == null) {
      shard = new Shard(vertx.eventBus().consumer(Addresses.liveAddress(index), this::onLive));
      shards[index] = shard;
    }
    return shard;
  }

  private void release(SessionHub hub) {
    if (hubs.remove(hub.sessionId(), hub)) {
      int index = Addresses.shardOf(hub.sessionId());
      Shard shard = shards[index];
      if (shard != null && --shard.hubs == 0) {
        shard.consumer.unregister();
        shards[index] = null;
      }
    }
  }

  private void onLive(Message<LiveBatch> message) {
    long committedAtMicros = message.body().committedAtMicros();
    flushes.around(() -> {
      for (StoredEvent event : message.body().events()) {
        SessionHub hub = hubs.get(event.sessionId());
        if (hub != null) {
          hub.onLive(event, committedAtMicros);
        }
      }
    });
  }

  private void onPresence(Message<PresenceDiff> message) {
    SessionHub hub = hubs.get(message.body().sessionId());
    if (hub != null) {
      hub.broadcast(Frames.presenceDiff(message.body()), null);
    }
  }

  private void onSignal(Message<Signal> message) {
    Signal signal = message.body();
    SessionHub hub = hubs.get(signal.sessionId());
    if (hub != null) {
      hub.broadcast(Frames.signal(signal), signal.originConnectionId());
    }
  }

  /** One live shard's consumer and how many hubs depend on it. */
  private static final class Shard {
    final MessageConsumer<LiveBatch> consumer;
    int hubs;

    Shard(MessageConsumer<LiveBatch> consumer) {
      this.consumer = consumer;
    }
  }
}
