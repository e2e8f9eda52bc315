package dev.switchboard.presence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.Codecs;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceDiff;
import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.PresenceState;
import dev.switchboard.protocol.PresenceUpdate;
import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.protocol.SessionIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The presence role: turns connection joins and leaves and node heartbeats ({@code presence.update}) into user joins
 * and leaves, publishes them per session every {@link PresenceConfig#DIFF_INTERVAL} as one {@link PresenceDiff}
 * ({@code presence.changes}), sweeps connections whose node stopped refreshing them, and answers who is in a session
 * ({@code presence.query}). The store is Redis when {@code SB_REDIS_URL} is set, else in memory.
 *
 * <p>Batching happens here, at the source, rather than at each edge: a crowd joining one session then costs the event
 * bus one message per session per interval to every node instead of one per user, and the count each diff carries
 * is read from the store once per interval for all the sessions that changed.
 *
 * <p>Updates, heartbeats, sweeps and queries are handled strictly in arrival order, each after the store has finished
 * the one before: with an asynchronous store, a join quickly followed by the same connection's leave could otherwise
 * be applied in the wrong order and leave a ghost user behind. With the in-memory store, deploy one instance per
 * process; with Redis, any number anywhere. An unreachable store fails presence only: the failure is logged once per
 * outage, queries answer {@code unavailable}, and the edges' heartbeats restore what was missed once it is back.
 */
public final class PresenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceVerticle.class);

  private final Function<Vertx, PresenceStore> storeFactory;
  private final PresenceMetrics metrics;
  private final OrderedTasks tasks = new OrderedTasks();
  private final PresenceDiffs diffs = new PresenceDiffs();
  private PresenceConfig config;
  private PresenceStore store;
  private long sweepTimer = -1;
  private boolean sweepQueued;
  private long diffTimer = -1;
  private boolean diffQueued;
  private boolean stopping;
  private boolean storeDown;

  /** The store the verticle config names: Redis with {@code SB_REDIS_URL}, else in memory. */
  public PresenceVerticle() {
    this(PresenceMetrics.none());
  }

  /** The store the verticle config names, recording into {@code metrics}. */
  public PresenceVerticle(PresenceMetrics metrics) {
    this(null, metrics);
  }

  /** Uses the store {@code storeFactory} builds from this verticle's Vert.x, whatever the config says. */
  public PresenceVerticle(Function<Vertx, PresenceStore> storeFactory) {
    this(storeFactory, PresenceMetrics.none());
  }

  private PresenceVerticle(Function<Vertx, PresenceStore> storeFactory, PresenceMetrics metrics) {
    this.storeFactory = storeFactory;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    config = PresenceConfig.from(config());
    if (storeFactory != null) {
      store = storeFactory.apply(vertx);
    } else if (config.redisUrl() != null) {
      store = new RedisPresenceStore(vertx, config.redisUrl(), config.keyPrefix());
    } else {
      store = new InMemoryPresenceStore();
    }
    LOG.info("presence in {}, {}", store.getClass().getSimpleName(), config);
    sweepTimer = vertx.setPeriodic(config.sweepInterval().toMillis(), t -> sweep());
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.consumer(Addresses.PRESENCE_UPDATE, this::update).completion(),
        bus.<PresenceQuery>consumer(Addresses.PRESENCE_QUERY, this::query).completion());
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(diffTimer);
    // Behind the work already queued (the leaves of a draining edge among it), so none of it fails on a closed store
    // and its changes go out in a last round of diffs.
    tasks.submit(this::publishDiffs);
    return tasks.submit(store::close);
  }

  private void update(Message<Object> message) {
    if (message.body() instanceof PresenceUpdate update) {
      connectionUpdate(update);
    } else if (message.body() instanceof PresenceHeartbeat heartbeat) {
      heartbeat(heartbeat);
    } else {
      LOG.warn("presence update dropped: unexpected body {}", message.body() == null ? null
          : message.body().getClass().getSimpleName());
    }
  }

  private void connectionUpdate(PresenceUpdate update) {
    String problem = problemWith(update);
    if (problem != null) {
      LOG.warn("presence update dropped: {}", problem);
      return;
    }
    tasks.submit(() -> watched(apply(update))).onSuccess(this::announce);
  }

  /** Applies one update; the change to announce, or {@code null} when the user had or still has another connection. */
  private Future<PresenceChange> apply(PresenceUpdate update) {
    if (update.action() == PresenceAction.JOIN) {
      return store.join(update.sessionId(), update.nodeId(), update.connectionId(), update.user(),
              System.currentTimeMillis())
          .map(first -> first ? new PresenceChange(update.sessionId(), PresenceAction.JOIN, update.user()) : null);
    }
    return store.leave(update.sessionId(), update.nodeId(), update.connectionId())
        .map(user -> user == null ? null : new PresenceChange(update.sessionId(), PresenceAction.LEAVE, user));
  }

  private void heartbeat(PresenceHeartbeat heartbeat) {
    if (heartbeat.nodeId() == null) {
      LOG.warn("presence heartbeat dropped: no nodeId");
      return;
    }
    List<PresenceHeartbeat.Entry> valid = new ArrayList<>(heartbeat.connections().size());
    for (PresenceHeartbeat.Entry entry : heartbeat.connections()) {
      if (SessionIds.isValid(entry.sessionId()) && entry.connectionId() != null && validUser(entry.user())) {
        valid.add(entry);
      }
    }
    if (valid.size() < heartbeat.connections().size()) {
      LOG.warn("presence heartbeat of node {}: {} malformed connections dropped", heartbeat.nodeId(),
          heartbeat.connections().size() - valid.size());
    }
    tasks.submit(() -> watched(store.refresh(heartbeat.nodeId(), valid, System.currentTimeMillis())))
        .onSuccess(joins -> joins.forEach(this::announce));
  }

  /** Queues a sweep unless one is already waiting: under a backlog, one sweep at the end does the work of many. */
  private void sweep() {
    if (sweepQueued) {
      return;
    }
    sweepQueued = true;
    tasks.submit(() -> {
      sweepQueued = false;
      // The cut-off is taken when the sweep starts, not when it was queued, so a backlog never sweeps early.
      return watched(store.sweep(System.currentTimeMillis() - config.ttl().toMillis()));
    }).onSuccess(leaves -> leaves.forEach(this::announce));
  }

  /** Counts a change and adds it to its session's next diff. */
  private void announce(PresenceChange change) {
    if (change == null) {
      return;
    }
    metrics.announced(change);
    queue(change);
  }

  /** Adds a change to its session's next diff, and makes sure that diff goes out within one interval. */
  private void queue(PresenceChange change) {
    diffs.add(change);
    if (diffTimer == -1 && !diffQueued && !stopping) {
      diffTimer = vertx.setTimer(PresenceConfig.DIFF_INTERVAL.toMillis(), t -> {
        diffTimer = -1;
        diffQueued = true;
        tasks.submit(this::publishDiffs);
      });
    }
  }

  /**
   * Publishes one diff per session that changed, each with the session's count now. Queued behind the updates
   * received before it, so the count includes every change the diff reports; nothing else runs until it is done, so
   * no change can arrive meanwhile. When the store cannot count, the changes wait for the next interval.
   */
  private Future<Void> publishDiffs() {
    diffQueued = false;
    List<PresenceDiffs.Pending> pending = diffs.take();
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> sessionIds = pending.stream().map(PresenceDiffs.Pending::sessionId).toList();
    return watched(store.counts(sessionIds)).compose(counts -> watched(store.anonymousCounts(sessionIds))
        .<Void>map(anonymous -> {
          for (int i = 0; i < pending.size(); i++) {
            PresenceDiff diff = pending.get(i).diff(counts.get(i), anonymous.get(i), config.broadcastMax());
            vertx.eventBus().publish(Addresses.PRESENCE_CHANGES, diff);
          }
          return null;
        })).recover(failed -> {
      // Counted when first announced: queued again, not announced again.
      pending.forEach(diff -> diff.changes().forEach(this::queue));
      return Future.succeededFuture();
    });
  }

  private void query(Message<PresenceQuery> message) {
    PresenceQuery query = message.body();
    String sessionId = query.sessionId();
    if (!SessionIds.isValid(sessionId)) {
      message.reply(ErrorCode.BAD_REQUEST.exception("invalid sessionId"));
      return;
    }
    if (query.limit() < 0 || query.limit() > PresenceQuery.MAX_LIMIT) {
      message.reply(ErrorCode.BAD_REQUEST.exception("limit must be 0-" + PresenceQuery.MAX_LIMIT));
      return;
    }
    String after;
    try {
      after = query.cursor() == null ? null : PresenceCursor.userId(query.cursor());
    } catch (IllegalArgumentException e) {
      message.reply(ErrorCode.BAD_REQUEST.exception("invalid cursor: pass back the cursor of the previous page"));
      return;
    }
    // Queued behind the updates already received, so a connection that sends its join and then asks finds itself.
    tasks.submit(() -> watched(page(sessionId, after, query.limit()))).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        message.reply(ErrorCode.UNAVAILABLE.exception("presence is unavailable"));
      }
    });
  }

  /** The counts and one page; one user more than asked for tells whether another page follows. */
  private Future<PresenceState> page(String sessionId, String after, int limit) {
    List<String> session = List.of(sessionId);
    return store.count(sessionId).compose(count -> store.anonymousCounts(session).compose(anonymous -> limit == 0
        ? Future.succeededFuture(new PresenceState(sessionId, List.of(), count, null, anonymous.get(0)))
        : store.users(sessionId, after, limit + 1).map(users -> {
          if (users.size() <= limit) {
            return new PresenceState(sessionId, users, count, null, anonymous.get(0));
          }
          List<PresenceUser> page = users.subList(0, limit);
          return new PresenceState(sessionId, page, count, PresenceCursor.after(page.get(limit - 1).userId()),
              anonymous.get(0));
        })));
  }

  /** Logs the first failure of an outage as an error and the recovery once; failures in between only at debug. */
  private <T> Future<T> watched(Future<T> outcome) {
    return outcome.andThen(ar -> {
      if (ar.succeeded()) {
        if (storeDown) {
          storeDown = false;
          LOG.info("presence store answering again; the edges' next heartbeats restore what was missed");
        }
      } else if (!storeDown) {
        metrics.storeFailed();
        storeDown = true;
        LOG.error("presence store failing, presence is degraded (events are not affected) until it answers again: {}",
            ar.cause().toString());
      } else {
        metrics.storeFailed();
        LOG.debug("presence store still failing: {}", ar.cause().toString());
      }
    });
  }

  private static String problemWith(PresenceUpdate update) {
    if (update.action() == null || !SessionIds.isValid(update.sessionId())) {
      return "no action or an invalid sessionId";
    }
    if (update.nodeId() == null || update.connectionId() == null) {
      return "no nodeId or connectionId";
    }
    if (!validUser(update.user())) {
      return "no user";
    }
    return null;
  }

  private static boolean validUser(PresenceUser user) {
    return user != null && user.userId() != null;
  }
}
