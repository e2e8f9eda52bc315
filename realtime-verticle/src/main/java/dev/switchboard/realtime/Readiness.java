package dev.switchboard.realtime;

import dev.switchboard.protocol.ReplayRequest;
import io.vertx.core.Future;

/**
 * Answers {@code /ready}: the edge listens, is not draining, and the event log answers.
 */
final class Readiness {

  /** A session id that is valid but never published to: reading its head touches the store cheaply. */
  private static final String PROBE_SESSION = "_ready";

  private final Services services;
  private volatile boolean draining;

  Readiness(Services services) {
    this.services = services;
  }

  void drain() {
    draining = true;
  }

  Future<Void> check() {
    if (draining) {
      return Future.failedFuture("draining");
    }
    return services.replay(ReplayRequest.head(PROBE_SESSION))
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture("the event store is not reachable"));
  }
}
