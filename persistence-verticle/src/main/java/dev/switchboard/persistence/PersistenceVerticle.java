package dev.switchboard.persistence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.Codecs;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.MicrosClock;
import dev.switchboard.protocol.NamespaceHistory;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.SessionIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The persistence role: answers {@code events.append} through group commit and {@code events.replay}, relays the
 * events applications committed to the outbox ({@link OutboxRelay}), publishes each committed batch on the live shard
 * addresses, deletes events older than their history window (the global one, or their namespace's), and keeps the
 * users' read positions ({@link PositionRequests}).
 */
public final class PersistenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);
  /**
   * How often the outbox is relayed without a notification: notifications sent while the listening connection was
   * down, or while a relay failed, are lost.
   */
  static final long OUTBOX_POLL_MS = 1_000;

  private final BiFunction<Vertx, PersistenceConfig, EventStore> storeFactory;
  private final PersistenceMetrics metrics;
  private PersistenceConfig settings;
  private EventStore store;
  private GroupCommitter<AppendRequest, AppendOutcome> committer;
  private MessageConsumer<AppendRequest> appendConsumer;
  private MessageConsumer<ReplayRequest> replayConsumer;
  private PositionRequests positions;
  private OutboxRelay outbox;
  private long retentionTimer = -1;
  private long outboxTimer = -1;
  private Future<Long> retention = Future.succeededFuture(0L);

  /**
   * The store the configuration asks for: a {@link PgEventStore} when {@code SB_PG_URL} is set, else the single-node
   * default, an {@link EmbeddedEventStore} in {@code SB_DATA_DIR}.
   */
  public PersistenceVerticle() {
    this(PersistenceMetrics.none());
  }

  /** The store the configuration asks for, recording into {@code metrics}. */
  public PersistenceVerticle(PersistenceMetrics metrics) {
    this((vertx, settings) -> settings.postgres() != null ? new PgEventStore(vertx, settings.postgres())
        : new EmbeddedEventStore(vertx, settings.dataDir()), metrics);
  }

  /** Uses the store {@code storeFactory} builds from this verticle's Vert.x and settings. */
  public PersistenceVerticle(BiFunction<Vertx, PersistenceConfig, EventStore> storeFactory) {
    this(storeFactory, PersistenceMetrics.none());
  }

  public PersistenceVerticle(BiFunction<Vertx, PersistenceConfig, EventStore> storeFactory,
                             PersistenceMetrics metrics) {
    this.storeFactory = storeFactory;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    settings = PersistenceConfig.from(config());
    store = storeFactory.apply(vertx, settings);
    committer = new GroupCommitter<>(this::commit, settings.appendMaxBatch());
    outbox = new OutboxRelay(store::relayOutbox, settings.appendMaxBatch(), this::relayed, e -> {
      metrics.storeFailed();
      LOG.warn("relaying the outbox failed; trying again within {} ms", OUTBOX_POLL_MS, e);
    });
    // Consumers only once the store is open: a request that finds a handler also finds a working store.
    return store.open().compose(v -> {
      EventBus bus = vertx.eventBus();
      appendConsumer = bus.consumer(Addresses.EVENTS_APPEND, this::append);
      replayConsumer = bus.consumer(Addresses.EVENTS_REPLAY, this::replay);
      positions = new PositionRequests(bus, store, metrics);
      retentionTimer = vertx.setPeriodic(settings.retentionInterval().toMillis(), id -> sweep());
      // The listener wakes the relay once it listens, so whatever committed before is relayed too.
      outboxTimer = vertx.setPeriodic(OUTBOX_POLL_MS, id -> outbox.wake());
      Future<Void> watched = store.watchOutbox(() -> context.runOnContext(ignored -> outbox.wake()));
      LOG.info("persistence ready: {}", settings);
      return Future.all(appendConsumer.completion(), replayConsumer.completion(), positions.registered(), watched);
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(retentionTimer);
    vertx.cancelTimer(outboxTimer);
    Future<Void> unregistered = appendConsumer == null ? Future.succeededFuture()
        : Future.all(appendConsumer.unregister(), replayConsumer.unregister(), positions.unregister()).mapEmpty();
    // Appends already received finish (and are answered) before the store closes.
    return unregistered
        .transform(ignored -> committer.whenIdle())
        .transform(ignored -> outbox.stop())
        .transform(ignored -> retention.otherwiseEmpty())
        .transform(ignored -> store.close());
  }

  /** The group committer, for tests that check batching. */
  GroupCommitter<AppendRequest, AppendOutcome> committer() {
    return committer;
  }

  private void append(Message<AppendRequest> message) {
    String problem = RequestChecks.problemWith(message.body());
    if (problem != null) {
      message.reply(ErrorCode.BAD_REQUEST.exception(problem));
      return;
    }
    long receivedAt = System.nanoTime();
    committer.submit(message.body()).onComplete(outcome -> {
      if (outcome.succeeded()) {
        metrics.appendCommitted(receivedAt);
        message.reply(outcome.result().toResult());
      } else {
        message.reply(ErrorCode.UNAVAILABLE.exception("event store unavailable"));
      }
    });
  }

  /**
   * Commits one batch, then publishes it live: subscribers never see an event that is not durable. The publish runs
   * as the context's next task, after the committer has answered every request of the batch, so a publisher gets its
   * {@code ack} before its own event; tasks run in order, so batches still go out in commit order.
   */
  private Future<List<AppendOutcome>> commit(List<AppendRequest> batch) {
    return store.append(batch)
        .onFailure(e -> {
          metrics.storeFailed();
          LOG.error("append of a batch of {} events failed", batch.size(), e);
        })
        .onSuccess(outcomes -> {
          long committedAt = MicrosClock.now();
          metrics.batchCommitted(batch.size(), (int) outcomes.stream().filter(o -> !o.duplicate()).count());
          context.runOnContext(v -> publishLive(outcomes, committedAt));
        });
  }

  /** Publishes a page relayed from the outbox, as a committed batch is published; nobody waits for an answer. */
  private void relayed(List<AppendOutcome> outcomes) {
    metrics.batchCommitted(outcomes.size(), (int) outcomes.stream().filter(o -> !o.duplicate()).count());
    publishLive(outcomes, MicrosClock.now());
  }

  private void publishLive(List<AppendOutcome> outcomes, long committedAt) {
    EventBus bus = vertx.eventBus();
    LiveBatches.byShard(outcomes, committedAt)
        .forEach((shard, live) -> bus.publish(Addresses.liveAddress(shard), live));
  }

  private void replay(Message<ReplayRequest> message) {
    String problem = RequestChecks.problemWith(message.body());
    if (problem != null) {
      message.reply(ErrorCode.BAD_REQUEST.exception(problem));
      return;
    }
    store.replay(message.body()).onComplete(result -> {
      if (result.succeeded()) {
        message.reply(result.result());
      } else {
        metrics.storeFailed();
        LOG.error("replay failed", result.cause());
        message.reply(ErrorCode.UNAVAILABLE.exception("event store unavailable"));
      }
    });
  }

  private void sweep() {
    if (!retention.isComplete()) {
      return;
    }
    long now = System.currentTimeMillis();
    NamespaceHistory namespaces = settings.namespaceHistory();
    // The global window first, for every session but those of namespaces with a window of their own (or "keep"),
    // then each of those windows over its namespace, one after the other.
    Future<Long> swept = store.deleteOlderThan(now - settings.historyTtl().toMillis(), namespaces.own());
    for (Map.Entry<String, Duration> window : namespaces.windows().entrySet()) {
      swept = swept.compose(deleted -> store.deleteOlderThan(window.getKey() + ":",
          now - window.getValue().toMillis()).map(more -> deleted + more));
    }
    retention = swept
        .compose(deleted -> store.deleteOlderThan(SessionIds.CANARY_PREFIX, now - settings.canaryRetention().toMillis())
            .map(canaries -> deleted + canaries))
        .onSuccess(deleted -> {
          if (deleted > 0) {
            LOG.debug("retention deleted {} events", deleted);
          }
        })
        .onFailure(e -> {
          metrics.storeFailed();
          LOG.warn("retention sweep failed", e);
        });
  }
}
