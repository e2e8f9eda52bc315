package dev.switchboard.realtime.positions;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ReadChange;
import dev.switchboard.realtime.hub.Subscriber;
import dev.switchboard.realtime.hub.Subscription;
import dev.switchboard.realtime.wire.Frames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.List;

/**
 * Shows a moved read position on the user's other connections (docs/PROTOCOL.md, Read positions): every edge takes
 * each {@link ReadChange} and sends a {@code positions} frame (without {@code requestId}) to that user's WebSocket and
 * SSE subscriptions of the session here, but the connection whose {@code read} it answers. Used on the edge's event
 * loop.
 */
public final class ReadChanges {

  private final DeliveredPositions subscriptions;
  private final MessageConsumer<ReadChange> consumer;

  public ReadChanges(Vertx vertx, DeliveredPositions subscriptions) {
    this.subscriptions = subscriptions;
    this.consumer = vertx.eventBus().consumer(Addresses.POSITIONS_CHANGES, this::changed);
  }

  public Future<Void> close() {
    return consumer.unregister();
  }

  private void changed(Message<ReadChange> message) {
    ReadChange change = message.body();
    List<Subscription> reached = subscriptions.subscriptionsOf(change.userId(), change.positions().sessionId());
    if (reached.isEmpty()) {
      return;
    }
    Buffer frame = Frames.positions(null, change.positions());
    for (Subscription subscription : List.copyOf(reached)) {
      Subscriber subscriber = subscription.subscriber();
      if (!subscriber.isFinished() && !subscriber.connectionId().equals(change.originConnectionId())) {
        subscriber.sendFrame(frame);
      }
    }
  }
}
