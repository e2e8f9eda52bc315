package dev.switchboard.presence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.Codecs;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceChange;
import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.PresenceState;
import dev.switchboard.protocol.PresenceUpdate;
import dev.switchboard.protocol.SessionIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * The presence role: turns connection joins and leaves ({@code presence.update}) into user joins and leaves
 * ({@code presence.changes}) and answers who is in a session ({@code presence.query}).
 *
 * <p>Updates and queries are handled strictly in arrival order, each after the store has finished the one before:
 * with an asynchronous store, a join quickly followed by the same connection's leave could otherwise be applied in
 * the wrong order and leave a ghost user behind. With the in-memory store, deploy one instance per process.
 */
public final class PresenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceVerticle.class);

  private final Function<Vertx, PresenceStore> storeFactory;
  private final OrderedTasks tasks = new OrderedTasks();
  private PresenceStore store;

  /** The single-node default: an {@link InMemoryPresenceStore}. */
  public PresenceVerticle() {
    this(vertx -> new InMemoryPresenceStore());
  }

  /** Uses the store {@code storeFactory} builds from this verticle's Vert.x. */
  public PresenceVerticle(Function<Vertx, PresenceStore> storeFactory) {
    this.storeFactory = storeFactory;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    store = storeFactory.apply(vertx);
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<PresenceUpdate>consumer(Addresses.PRESENCE_UPDATE, this::update).completion(),
        bus.<PresenceQuery>consumer(Addresses.PRESENCE_QUERY, this::query).completion());
  }

  private void update(Message<PresenceUpdate> message) {
    PresenceUpdate update = message.body();
    String problem = problemWith(update);
    if (problem != null) {
      LOG.warn("presence update dropped: {}", problem);
      return;
    }
    tasks.submit(() -> apply(update).onSuccess(this::announce))
        .onFailure(e -> LOG.warn("presence {} in session {} failed: {}", update.action().wire(), update.sessionId(),
            e.toString()));
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

  private void announce(PresenceChange change) {
    if (change != null) {
      vertx.eventBus().publish(Addresses.PRESENCE_CHANGES, change);
    }
  }

  private void query(Message<PresenceQuery> message) {
    String sessionId = message.body().sessionId();
    if (!SessionIds.isValid(sessionId)) {
      message.reply(ErrorCode.BAD_REQUEST.exception("invalid sessionId"));
      return;
    }
    // Queued behind the updates already received, so a connection that sends its join and then asks finds itself.
    tasks.submit(() -> store.users(sessionId)).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(new PresenceState(sessionId, ar.result()));
      } else {
        LOG.warn("presence query for session {} failed: {}", sessionId, ar.cause().toString());
        message.reply(ErrorCode.UNAVAILABLE.exception("presence is unavailable"));
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
    if (update.user() == null || update.user().userId() == null) {
      return "no user";
    }
    return null;
  }
}
