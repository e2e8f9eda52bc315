package dev.switchboard.persistence;

import dev.switchboard.protocol.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * The persistence role's meters (docs/ARCHITECTURE.md, Metrics), built once and recorded on the verticle's context:
 * events appended, how long an append waits for its commit, batch sizes, and store failures.
 */
public final class PersistenceMetrics {

  private final Counter appended;
  private final Timer appendLatency;
  private final DistributionSummary batchSize;
  private final Counter storeErrors;

  public PersistenceMetrics(MeterRegistry registry) {
    appended = Meters.counter(registry, "switchboard.events.appended",
        "events stored (a repeated idempotency key is not counted again)", Tags.empty());
    appendLatency = Meters.latency(registry, "switchboard.append",
        "from an append request reaching persistence to the commit of its batch", Tags.empty());
    batchSize = Meters.sizes(registry, "switchboard.append.batch.size", "appends committed in one transaction");
    storeErrors = Meters.storeErrors(registry, "events");
  }

  /** Meters that record nothing. */
  public static PersistenceMetrics none() {
    return new PersistenceMetrics(Meters.none());
  }

  void batchCommitted(int size, int stored) {
    batchSize.record(size);
    appended.increment(stored);
  }

  /** One append answered after its commit; {@code receivedAt} is {@link System#nanoTime()} at its arrival. */
  void appendCommitted(long receivedAt) {
    appendLatency.record(System.nanoTime() - receivedAt, TimeUnit.NANOSECONDS);
  }

  void storeFailed() {
    storeErrors.increment();
  }
}
