package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.LiveBatch;
import dev.switchboard.protocol.PresenceDiff;
import dev.switchboard.protocol.Signal;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.realtime.wire.Frames;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The node's one receiver of what its edge loops deliver (docs/ARCHITECTURE.md, Threading): the bus consumers of the
 * live shards that have hubs, of presence diffs and of signals, and which loops ({@link HubRegistry registries}) have
 * a hub of each session. Each event is encoded once, here, and handed to every loop with a hub of its session, with
 * one task per loop per committed batch; each loop then writes to its own subscribers, all loops at once. Nothing on
 * that path takes a lock: a loop learns of events through its own task queue, and tells the feed of its hubs through
 * the feed's.
 *
 * <p>Runs on the context it was made on (the first edge loop's); {@link #want} and {@link #drop} may be called from
 * any loop.
 */
public final class LiveFeed {

  private final Vertx vertx;
  private final Context context;
  /** Per session with a hub on some loop: those loops, each once. */
  private final Map<String, List<HubRegistry>> sessions = new HashMap<>();
  private final Shard[] shards = new Shard[Addresses.LIVE_SHARDS];
  private final List<HubRegistry> loops = new ArrayList<>();
  private final MessageConsumer<PresenceDiff> presenceConsumer;
  private final MessageConsumer<Signal> signalConsumer;
  private final MessageConsumer<Object> membershipConsumer;
  /** Whether a session's presence diffs go to its subscribers (a namespace's {@code joinLeave} option). */
  private final Predicate<String> diffsWanted;

  /** Made on the context it will run on; every session's presence diffs are broadcast. */
  public LiveFeed(Vertx vertx) {
    this(vertx, sessionId -> true);
  }

  /** Made on the context it will run on; presence diffs only for the sessions {@code diffsWanted} accepts. */
  public LiveFeed(Vertx vertx, Predicate<String> diffsWanted) {
    this.vertx = vertx;
    this.diffsWanted = diffsWanted;
    this.context = vertx.getOrCreateContext();
    this.presenceConsumer = vertx.eventBus().consumer(Addresses.PRESENCE_CHANGES, this::onPresence);
    this.signalConsumer = vertx.eventBus().consumer(Addresses.SIGNALS, this::onSignal);
    // Local only: each process learns of membership changes from its own cluster manager.
    this.membershipConsumer = vertx.eventBus().localConsumer(Addresses.CLUSTER_MEMBERSHIP,
        message -> loops.forEach(loop -> onLoop(loop, loop::forceHeadChecks)));
  }

  /** Completes once the feed's own consumers are registered. */
  public Future<Void> ready() {
    return Future.all(presenceConsumer.completion(), signalConsumer.completion()).mapEmpty();
  }

  /** A loop's registry; called on that loop. */
  void attach(HubRegistry loop) {
    onFeed(() -> loops.add(loop));
  }

  /** A loop's registry has stopped; called on that loop. */
  void detach(HubRegistry loop) {
    onFeed(() -> {
      loops.remove(loop);
      new ArrayList<>(sessions.keySet()).forEach(sessionId -> forget(sessionId, loop));
    });
  }

  /**
   * {@code loop} has a new hub of {@code sessionId}: from now on it gets the session's events, and {@code listening}
   * runs on it once the session's shard consumer is registered, so that every event committed after it also arrives.
   */
  void want(HubRegistry loop, String sessionId, Runnable listening) {
    onFeed(() -> {
      List<HubRegistry> having = sessions.computeIfAbsent(sessionId, s -> new ArrayList<>(2));
      if (!having.contains(loop)) {
        having.add(loop);
        if (having.size() == 1) {
          shardFor(sessionId).sessions++;
        }
      }
      shardFor(sessionId).consumer.completion().onComplete(ar -> onLoop(loop, listening));
    });
  }

  /** {@code loop} no longer has a hub of {@code sessionId}. */
  void drop(HubRegistry loop, String sessionId) {
    onFeed(() -> forget(sessionId, loop));
  }

  private void forget(String sessionId, HubRegistry loop) {
    List<HubRegistry> having = sessions.get(sessionId);
    if (having == null || !having.remove(loop) || !having.isEmpty()) {
      return;
    }
    sessions.remove(sessionId);
    int index = Addresses.shardOf(sessionId);
    Shard shard = shards[index];
    if (shard != null && --shard.sessions == 0) {
      shard.consumer.unregister();
      shards[index] = null;
    }
  }

  public Future<Void> close() {
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

  private void onLive(Message<LiveBatch> message) {
    LiveBatch batch = message.body();
    Map<HubRegistry, List<LiveEvent>> perLoop = new IdentityHashMap<>(4);
    for (StoredEvent event : batch.events()) {
      List<HubRegistry> having = sessions.get(event.sessionId());
      if (having == null) {
        continue;
      }
      EncodedEvent encoded = EncodedEvent.shared(event, batch.committedAtMicros(), having.size());
      for (int i = 0; i < having.size(); i++) {
        perLoop.computeIfAbsent(having.get(i), l -> new ArrayList<>()).add(new LiveEvent(event, encoded.retain()));
      }
      encoded.release();
    }
    // Other loops first, so they write while this one does.
    HubRegistry here = null;
    for (Map.Entry<HubRegistry, List<LiveEvent>> entry : perLoop.entrySet()) {
      HubRegistry loop = entry.getKey();
      if (loop.context() == context) {
        here = loop;
      } else {
        List<LiveEvent> events = entry.getValue();
        loop.context().runOnContext(v -> loop.onLive(events));
      }
    }
    if (here != null) {
      here.onLive(perLoop.get(here));
    }
  }

  private void onPresence(Message<PresenceDiff> message) {
    String sessionId = message.body().sessionId();
    if (sessions.containsKey(sessionId) && diffsWanted.test(sessionId)) {
      PresenceDiff diff = message.body();
      broadcast(sessionId, Frames.presenceDiff(diff), Frames.presenceDiff(diff.unnamed()), null);
    }
  }

  private void onSignal(Message<Signal> message) {
    Signal signal = message.body();
    if (sessions.containsKey(signal.sessionId())) {
      broadcast(signal.sessionId(), Frames.signal(signal), null, signal.originConnectionId());
    }
  }

  /** A frame encoded once for every loop with a hub of the session; Vert.x heap buffers are read without a lock. */
  private void broadcast(String sessionId, Buffer frame, Buffer unnamedFrame, String exceptConnectionId) {
    for (HubRegistry loop : sessions.get(sessionId)) {
      onLoop(loop, () -> loop.broadcast(sessionId, frame, unnamedFrame, exceptConnectionId));
    }
  }

  private void onFeed(Runnable task) {
    if (Vertx.currentContext() == context) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  private static void onLoop(HubRegistry loop, Runnable task) {
    if (Vertx.currentContext() == loop.context()) {
      task.run();
    } else {
      loop.context().runOnContext(v -> task.run());
    }
  }

  /** A live event as committed, and its frame encoded for every loop. */
  record LiveEvent(StoredEvent event, EncodedEvent encoded) {
  }

  /** One live shard's consumer and how many sessions with hubs depend on it. */
  private static final class Shard {
    final MessageConsumer<LiveBatch> consumer;
    int sessions;

    Shard(MessageConsumer<LiveBatch> consumer) {
      this.consumer = consumer;
    }
  }
}
