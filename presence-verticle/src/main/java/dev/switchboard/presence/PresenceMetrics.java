package dev.switchboard.presence;

import dev.switchboard.protocol.Meters;
import dev.switchboard.protocol.PresenceAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The presence role's meters (docs/ARCHITECTURE.md, Metrics): {@code switchboard_presence_members}, users present
 * in all sessions together (anonymous subscribers not included), as the joins less the leaves this instance announced (so with several instances on one
 * Redis the total is their sum; a restarted instance counts again from what it announces next), and failures of the
 * presence store.
 */
public final class PresenceMetrics {

  private final AtomicLong members = new AtomicLong();
  private final Counter storeErrors;

  public PresenceMetrics(MeterRegistry registry) {
    Gauge.builder("switchboard.presence.members", members, AtomicLong::get)
        .description("users present, all sessions together: joins less leaves announced by this instance")
        .register(registry);
    storeErrors = Meters.storeErrors(registry, "presence");
  }

  /** Meters that record nothing. */
  public static PresenceMetrics none() {
    return new PresenceMetrics(Meters.none());
  }

  void announced(PresenceChange change) {
    if (change.user().isAnonymous()) {
      return; // not a user: counted by presence frames, not here
    }
    members.addAndGet(change.action() == PresenceAction.JOIN ? 1 : -1);
  }

  void storeFailed() {
    storeErrors.increment();
  }
}
