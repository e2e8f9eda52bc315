package dev.switchboard.realtime.control;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ControlOrder;
import dev.switchboard.protocol.Principal;
import dev.switchboard.realtime.Connections;
import dev.switchboard.realtime.OperatorTarget;
import dev.switchboard.realtime.wire.Refusal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out an operator's orders on one edge loop (docs/PROTOCOL.md, Control API): every loop of every node
 * consumes {@link Addresses#CONTROL}, so one order published by any node reaches every connection of the cluster at
 * once. Runs on its loop.
 */
public final class ControlOrders {

  private static final Logger LOG = LoggerFactory.getLogger(ControlOrders.class);
  /** What the close reason says when the operator gave no reason of their own. */
  static final String RECONNECT = "reconnect and resume";
  static final String DO_NOT_RECONNECT = "do not reconnect";

  private final Connections connections;
  private final MessageConsumer<ControlOrder> consumer;

  public ControlOrders(Vertx vertx, Connections connections) {
    this.connections = connections;
    this.consumer = vertx.eventBus().consumer(Addresses.CONTROL, message -> apply(message.body()));
  }

  /** Completes once the loop listens for orders. */
  public Future<Void> ready() {
    return consumer.completion();
  }

  public Future<Void> close() {
    return consumer.unregister();
  }

  void apply(ControlOrder order) {
    int affected = 0;
    for (OperatorTarget target : connections.all()) {
      Principal principal = target.principal();
      if (principal != null && concerns(order, principal)) {
        affected++;
        carryOut(order, target);
      }
    }
    if (affected > 0) {
      LOG.info("operator order {}: {} connections on this loop", order.action(), affected);
    }
  }

  private static boolean concerns(ControlOrder order, Principal principal) {
    return switch (order.action()) {
      case DISCONNECT, UNSUBSCRIBE -> order.userId().equals(principal.userId());
      case REVOKED -> order.tokenId().equals(principal.tokenId());
    };
  }

  private static void carryOut(ControlOrder order, OperatorTarget target) {
    switch (order.action()) {
      case DISCONNECT -> {
        String reason = order.reason() != null ? order.reason() : order.reconnect() ? RECONNECT : DO_NOT_RECONNECT;
        target.close(order.reconnect() ? Refusal.OPERATOR_DISCONNECT : Refusal.OPERATOR_TERMINATED, reason);
      }
      case REVOKED -> target.close(Refusal.TOKEN_REVOKED);
      case UNSUBSCRIBE -> target.unsubscribe(order.sessionId(), Refusal.UNSUBSCRIBED);
    }
  }
}
