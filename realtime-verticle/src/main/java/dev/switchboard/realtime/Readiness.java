package dev.switchboard.realtime;

import dev.switchboard.protocol.ReplayRequest;
import io.vertx.core.Future;

import java.util.function.Supplier;

/**
 * Answers {@code /ready}: the node is a member of its cluster (when clustered), the edge is not draining, and the
 * event log answers.
 */
final class Readiness {

  /** A session id that is valid but never published to: reading its head touches the store cheaply. */
  private static final String PROBE_SESSION = "_ready";

  private final Services services;
  private final Supplier<String> nodeGate;
  private volatile boolean draining;

  /**
   * @param nodeGate why the process as a whole is not ready (for instance, not a cluster member), or null when it is
   */
  Readiness(Services services, Supplier<String> nodeGate) {
    this.services = services;
    this.nodeGate = nodeGate;
  }

  void drain() {
    draining = true;
  }

  Future<Void> check() {
    if (draining) {
      return Future.failedFuture("draining");
    }
    String notReady = nodeGate.get();
    if (notReady != null) {
      return Future.failedFuture(notReady);
    }
    return services.replay(ReplayRequest.head(PROBE_SESSION))
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture("the event store is not reachable"));
  }
}
