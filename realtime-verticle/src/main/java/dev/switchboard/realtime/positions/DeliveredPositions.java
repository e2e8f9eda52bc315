package dev.switchboard.realtime.positions;

import dev.switchboard.protocol.DeliveredUpdate;
import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.protocol.SessionIds;
import dev.switchboard.realtime.hub.Subscription;
import dev.switchboard.realtime.hub.SubscriptionPresence;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The delivered positions of one edge loop (docs/ARCHITECTURE.md, Read positions): for each (user, session), the
 * highest eventId sent to one of the user's connections on this loop (WebSocket, SSE, long poll), handed to
 * persistence in one {@link DeliveredUpdate} per {@link #INTERVAL_MS}, so that a second of deliveries costs one store
 * write per loop however many events and users it held.
 *
 * <p>The delivery path does nothing for it: the hubs announce each subscription when it is placed and when it leaves
 * (the calls they make for presence), and every interval this reads how far each watched subscription has got. What
 * a subscription started after (its {@code fromEventId}, or the head for a live start) is not counted as delivered.
 * Knowing each subscription's user, it also tells {@link ReadChanges} where a user's read position must be shown.
 * Used on its edge loop.
 */
public final class DeliveredPositions implements SubscriptionPresence {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveredPositions.class);
  /** How often delivered positions are written: the most a {@code deliveredEventId} lags behind the deliveries. */
  public static final long INTERVAL_MS = 1000;

  private final Vertx vertx;
  private final Function<DeliveredUpdate, Future<Void>> store;
  private final Map<Subscription, Watched> watched = new IdentityHashMap<>();
  /** The watched subscriptions by user and session, for {@link #subscriptionsOf}. */
  private final Map<Pair, List<Subscription>> byPair = new HashMap<>();
  private final Map<Pair, Long> pending = new HashMap<>();
  private final long timer;

  /** {@code store} writes one update (the persistence role's {@code positions.delivered}). */
  public DeliveredPositions(Vertx vertx, Function<DeliveredUpdate, Future<Void>> store) {
    this(vertx, store, INTERVAL_MS);
  }

  /** With another interval, for tests that flush by hand. */
  DeliveredPositions(Vertx vertx, Function<DeliveredUpdate, Future<Void>> store, long intervalMs) {
    this.vertx = vertx;
    this.store = store;
    this.timer = vertx.setPeriodic(intervalMs, t -> flush());
  }

  @Override
  public void placed(Subscription subscription) {
    PresenceUser user = subscription.subscriber().presenceUser();
    if (user != null && !SessionIds.isReserved(subscription.sessionId())) {
      watched.put(subscription, new Watched(user.userId(), subscription.position()));
      byPair.computeIfAbsent(new Pair(user.userId(), subscription.sessionId()), k -> new ArrayList<>(1))
          .add(subscription);
    }
  }

  @Override
  public void left(Subscription subscription) {
    Watched left = watched.remove(subscription);
    if (left != null) {
      collect(subscription, left);
      Pair pair = new Pair(left.userId, subscription.sessionId());
      List<Subscription> same = byPair.get(pair);
      same.remove(subscription);
      if (same.isEmpty()) {
        byPair.remove(pair);
      }
    }
  }

  /** This edge's WebSocket and SSE subscriptions of a user to a session (a long poll's are not among them). */
  public List<Subscription> subscriptionsOf(String userId, String sessionId) {
    return byPair.getOrDefault(new Pair(userId, sessionId), List.of());
  }

  /** A long poll answered {@code userId}'s poll of a session with events up to {@code eventId}. */
  public void polled(String userId, String sessionId, long eventId) {
    if (userId != null && !SessionIds.isReserved(sessionId)) {
      pending.merge(new Pair(userId, sessionId), eventId, Math::max);
    }
  }

  /** Writes what was delivered since the last update, in one update; nothing when nothing was. */
  public void flush() {
    watched.forEach(this::collect);
    if (pending.isEmpty()) {
      return;
    }
    List<DeliveredUpdate.Position> positions = new ArrayList<>(pending.size());
    pending.forEach((pair, eventId) -> positions.add(new DeliveredUpdate.Position(pair.userId, pair.sessionId,
        eventId)));
    pending.clear();
    store.apply(new DeliveredUpdate(positions)).onFailure(e -> {
      // Kept for the next update; moving forward to the same place twice is the same as once.
      LOG.debug("delivered positions not stored yet: {}", e.getMessage());
      positions.forEach(p -> pending.merge(new Pair(p.userId(), p.sessionId()), p.eventId(), Math::max));
    });
  }

  /** Stops the timer and writes what is pending; called when the edge stops, after its connections closed. */
  public void close() {
    vertx.cancelTimer(timer);
    flush();
  }

  private void collect(Subscription subscription, Watched seen) {
    long position = subscription.position();
    if (position > seen.sent) {
      seen.sent = position;
      pending.merge(new Pair(seen.userId, subscription.sessionId()), position, Math::max);
    }
  }

  /** A watched subscription's user and the position last collected (at first, where it started). */
  private static final class Watched {
    final String userId;
    long sent;

    Watched(String userId, long startedAt) {
      this.userId = userId;
      this.sent = startedAt;
    }
  }

  private record Pair(String userId, String sessionId) {
  }
}
