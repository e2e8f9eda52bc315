package dev.switchboard.realtime.metrics;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one transport's connections: how many are open, opened and closed (by close code), how long they
 * lasted, events delivered, and resumes. Recorded on every edge loop at once: the open count is an {@link AtomicLong},
 * and a close code's counter, registered on first use, is the registry's one counter for it whichever loop registers
 * it.
 */
final class ConnectionMeters {

  /** Close codes as labels: the catalogue's, 1006 (closed without a close frame), and "other" for the rest. */
  private static final short ABNORMAL = 1006;
  /** {@code values()} copies the array on every call. */
  private static final CloseReason[] REASONS = CloseReason.values();

  private final MeterRegistry registry;
  private final Tags tags;
  private final AtomicLong open = new AtomicLong();
  final Counter opened;
  final Timer duration;
  final Counter deliveries;
  final Counter resumesReplayed;
  final Counter resumesReset;
  /** Closed counters by {@link #codeIndex}, registered on first use (then held: no lookup per close). */
  private final Counter[] closed = new Counter[REASONS.length + 2];

  ConnectionMeters(MeterRegistry registry, Transport transport) {
    this.registry = registry;
    this.tags = Tags.of("transport", transport.label());
    Gauge.builder("switchboard.connections", open, AtomicLong::get).description("open connections")
        .tags(tags).register(registry);
    opened = Meters.counter(registry, "switchboard.connections.opened", "connections opened", tags);
    duration = Meters.latency(registry, "switchboard.connection.duration",
        "how long connections lasted, observed at close", tags);
    deliveries = Meters.counter(registry, "switchboard.deliveries", "events written to clients, live or replayed",
        tags);
    resumesReplayed = Meters.counter(registry, "switchboard.resumes",
        "subscriptions that resumed from an eventId", tags.and("outcome", "replayed"));
    resumesReset = Meters.counter(registry, "switchboard.resumes",
        "subscriptions that resumed from an eventId", tags.and("outcome", "reset"));
  }

  long opened() {
    open.incrementAndGet();
    opened.increment();
    return System.nanoTime();
  }

  void closed(long openedAt, int code) {
    open.decrementAndGet();
    duration.record(System.nanoTime() - openedAt, TimeUnit.NANOSECONDS);
    int index = codeIndex(code);
    Counter counter = closed[index];
    if (counter == null) {
      String label = index == closed.length - 1 ? "other" : Integer.toString(code);
      counter = Meters.counter(registry, "switchboard.connections.closed", "connections closed, by close code",
          tags.and("code", label));
      closed[index] = counter;
    }
    counter.increment();
  }

  private int codeIndex(int code) {
    for (int i = 0; i < REASONS.length; i++) {
      if (REASONS[i].code() == code) {
        return i;
      }
    }
    return code == ABNORMAL ? REASONS.length : REASONS.length + 1;
  }
}
