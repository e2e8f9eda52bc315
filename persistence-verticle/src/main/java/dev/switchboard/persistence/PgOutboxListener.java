package dev.switchboard.persistence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN sb_outbox} on a connection of its own: wakes the relay when an application's transaction that called
 * {@code sb_publish} commits, and each time the listening connection is (re)established, since notifications sent
 * while it was down are lost (the relay's periodic pass covers them too).
 */
final class PgOutboxListener {

  private static final Logger LOG = LoggerFactory.getLogger(PgOutboxListener.class);
  /** Reconnect after a lost connection every second, for as long as the store is open. */
  private static final long RECONNECT_MS = 1_000;

  private final PgSubscriber subscriber;

  PgOutboxListener(Vertx vertx, PgConfig config, Runnable wake) {
    subscriber = PgSubscriber.subscriber(vertx, config.connectOptions())
        .reconnectPolicy(retries -> RECONNECT_MS);
    subscriber.channel(PgOutboxSchema.CHANNEL)
        .subscribeHandler(v -> wake.run())
        .handler(payload -> wake.run())
        .exceptionHandler(e -> LOG.warn("outbox notifications failed", e));
    subscriber.closeHandler(v -> LOG.debug("outbox listener closed"));
  }

  Future<Void> start() {
    return subscriber.connect();
  }

  Future<Void> close() {
    return subscriber.close();
  }
}
