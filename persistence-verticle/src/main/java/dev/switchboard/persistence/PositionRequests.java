package dev.switchboard.persistence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.DeliveredUpdate;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.PositionsQuery;
import dev.switchboard.protocol.ReadRequest;
import dev.switchboard.protocol.SessionIds;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The persistence role's answers about read positions (docs/ARCHITECTURE.md, Read positions): the edges' delivered
 * updates, a user's read position moving forward, and a user's positions with their sessions' heads.
 */
final class PositionRequests {

  private static final Logger LOG = LoggerFactory.getLogger(PositionRequests.class);

  private final EventStore store;
  private final PersistenceMetrics metrics;
  private final List<MessageConsumer<?>> consumers;

  /** Registers the consumers on {@code bus}; see {@link #registered()}. */
  PositionRequests(EventBus bus, EventStore store, PersistenceMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
    this.consumers = List.of(
        bus.<DeliveredUpdate>consumer(Addresses.POSITIONS_DELIVERED, this::delivered),
        bus.<ReadRequest>consumer(Addresses.POSITIONS_READ, this::read),
        bus.<PositionsQuery>consumer(Addresses.POSITIONS_QUERY, this::query));
  }

  Future<Void> registered() {
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  Future<Void> unregister() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void delivered(Message<DeliveredUpdate> message) {
    DeliveredUpdate update = message.body();
    Set<String> pairs = new HashSet<>();
    for (DeliveredUpdate.Position p : update.positions()) {
      if (!validUser(p.userId()) || !SessionIds.isValid(p.sessionId()) || p.eventId() < 0
          || !pairs.add(p.userId() + '\0' + p.sessionId())) {
        message.reply(ErrorCode.BAD_REQUEST.exception("invalid or repeated delivered position"));
        return;
      }
    }
    answer(message, store.advanceDelivered(update), "delivered positions");
  }

  private void read(Message<ReadRequest> message) {
    ReadRequest request = message.body();
    if (!validUser(request.userId()) || !SessionIds.isValid(request.sessionId()) || request.eventId() < 0) {
      message.reply(ErrorCode.BAD_REQUEST.exception("invalid read position"));
      return;
    }
    answer(message, store.advanceRead(request), "read position");
  }

  private void query(Message<PositionsQuery> message) {
    PositionsQuery query = message.body();
    if (!validUser(query.userId()) || !query.sessionIds().stream().allMatch(SessionIds::isValid)
        || query.sessionIds().size() > PositionsQuery.MAX_SESSIONS) {
      message.reply(ErrorCode.BAD_REQUEST.exception("invalid positions query"));
      return;
    }
    answer(message, store.positions(query), "positions query");
  }

  private <T> void answer(Message<?> message, Future<T> outcome, String what) {
    outcome.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        metrics.storeFailed();
        LOG.error("{} failed", what, ar.cause());
        message.reply(ErrorCode.UNAVAILABLE.exception("event store unavailable"));
      }
    });
  }

  /** A user id the stores can hold: PostgreSQL's text cannot hold the NUL character. */
  private static boolean validUser(String userId) {
    return userId != null && !userId.isEmpty() && userId.indexOf('\0') < 0;
  }
}
