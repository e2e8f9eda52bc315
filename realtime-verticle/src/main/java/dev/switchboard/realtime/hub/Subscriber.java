package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.realtime.metrics.Transport;
import io.vertx.core.buffer.Buffer;

/**
 * The transport end of subscriptions (a WebSocket, later an SSE stream or a long poll): what a {@link SessionHub}
 * delivers to. Every method is called on its edge loop.
 */
public interface Subscriber {

  /** Unique per connection; a signal is not echoed to the connection it came from. */
  String connectionId();

  /** How this subscriber receives events: the {@code transport} label of what the hub records for it. */
  Transport transport();

  /**
   * The user this subscriber makes present in its sessions while subscribed ({@link SubscriptionPresence}), or null
   * when it is not counted that way (a long poll keeps its user present itself).
   */
  default PresenceUser presenceUser() {
    return null;
  }

  /**
   * The actor type an anonymous subscriber declared (docs/PROTOCOL.md, Namespaces), by which presence counts it
   * without an identity; null for a subscriber that is not anonymous.
   */
  default String anonymousType() {
    return null;
  }

  /** Whether this subscriber is anonymous: it is sent no frame that names a user. */
  default boolean anonymous() {
    return anonymousType() != null;
  }

  /** The subscription is in place: every event stored from now on reaches this subscriber. */
  void placed(Subscription subscription);

  /** One event, in order, never twice (the subscription filters duplicates before calling). */
  void sendEvent(Subscription subscription, EncodedEvent event);

  /** Replay is complete; what follows is live. */
  void replayed(Subscription subscription, long lastEventId);

  /** The requested position cannot be resumed; live delivery continues after {@code lastEventId}. */
  void reset(Subscription subscription, ResetReason reason, long lastEventId);

  /** A presence or signal frame. */
  void sendFrame(Buffer frame);

  /** The subscription could not be served (the event log is unreachable); the subscriber should end it. */
  void failed(Subscription subscription, Throwable cause);

  /**
   * True while the outbound queue is past its limit (never, for a subscriber without a queue): a replay waits, a live
   * delivery closes the subscriber.
   */
  default boolean writeQueueFull() {
    return false;
  }

  /** Runs {@code task} once the outbound queue has room again (at once when it already has). */
  default void whenWritable(Runnable task) {
    task.run();
  }

  /**
   * True once the subscriber takes nothing more (a socket closing or closed, a stream ended, a long poll answered);
   * hubs skip it.
   */
  boolean isFinished();

  /** Sends what {@link #sendEvent} deferred during a {@link FlushBatch} round; nothing for a subscriber that never defers. */
  default void flush() {
  }
}
