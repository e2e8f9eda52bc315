package dev.switchboard.realtime.hub;

import dev.switchboard.realtime.metrics.EdgeMetrics;

/**
 * One subscriber's place in one session: the last eventId it was sent, and whether it is still replaying.
 * Owned by the {@link SessionHub}; read by the subscriber.
 */
public final class Subscription {

  private final SessionHub hub;
  private final Subscriber subscriber;
  private final Long fromEventId;
  private final EdgeMetrics metrics;
  private long position = -1;
  private boolean live;
  private boolean closed;

  Subscription(SessionHub hub, Subscriber subscriber, Long fromEventId, EdgeMetrics metrics) {
    this.metrics = metrics;
    this.hub = hub;
    this.subscriber = subscriber;
    this.fromEventId = fromEventId;
  }

  public String sessionId() {
    return hub.sessionId();
  }

  public Subscriber subscriber() {
    return subscriber;
  }

  /** The position the client asked to resume after, or null for live only. */
  public Long fromEventId() {
    return fromEventId;
  }

  /** The last eventId this subscription was sent (or started after). */
  public long position() {
    return position;
  }

  public boolean isLive() {
    return live;
  }

  /** True once cancelled, or once its subscriber has finished. */
  public boolean isClosed() {
    return closed || subscriber.isFinished();
  }

  /** Starts delivery to the subscriber; call once, after keeping the subscription (see {@link SessionHub#join}). */
  public void start() {
    hub.admit(this);
  }

  /** Leaves the hub; no more events are sent. Idempotent. */
  public void cancel() {
    if (!closed) {
      closed = true;
      hub.leave(this);
    }
  }

  void startAt(long position) {
    this.position = position;
  }

  void goLive() {
    live = true;
  }

  /** Sends an event unless it is at or before the position: no duplicate on one connection, whatever the source. */
  void deliver(EncodedEvent event) {
    if (event.seq() > position && !isClosed()) {
      position = event.seq();
      subscriber.sendEvent(this, event);
      metrics.delivered(subscriber.transport(), event.committedAtMicros(), !live);
    }
  }
}
