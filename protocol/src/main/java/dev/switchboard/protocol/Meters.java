package dev.switchboard.protocol;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;

/**
 * How every role builds its meters (docs/ARCHITECTURE.md, Metrics): names in Micrometer's dotted form (the Prometheus
 * registry writes {@code switchboard.append} as {@code switchboard_append_seconds}), latency histograms with the same
 * buckets from 100 us to 10 s, and a registry that records nothing for unit tests and {@code SB_METRICS=false}.
 *
 * <p>Meters are built once, when a role starts, and held: recording on a held counter or timer takes no lock and
 * allocates nothing, where a lookup by name and tags would allocate on every call.
 */
public final class Meters {

  /** The bucket boundaries of every latency histogram: 100 us to 10 s, about three per decade. */
  public static final Duration[] LATENCY_BUCKETS = {
      Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
      Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  /** The bucket boundaries of size histograms (events in a batch). */
  private static final double[] SIZE_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

  private Meters() {
  }

  /** A registry that keeps nothing: every meter built on it is a no-op. */
  public static MeterRegistry none() {
    return new CompositeMeterRegistry();
  }

  /** A latency histogram ({@code _bucket}, {@code _count}, {@code _sum} in seconds) with {@link #LATENCY_BUCKETS}. */
  public static Timer latency(MeterRegistry registry, String name, String description, Tags tags) {
    return Timer.builder(name).description(description).tags(tags)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .minimumExpectedValue(LATENCY_BUCKETS[0])
        .maximumExpectedValue(LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1])
        .register(registry);
  }

  /** A histogram of counts (a batch's size), buckets 1 to 1000. */
  public static DistributionSummary sizes(MeterRegistry registry, String name, String description) {
    return DistributionSummary.builder(name).description(description).serviceLevelObjectives(SIZE_BUCKETS)
        .register(registry);
  }

  public static Counter counter(MeterRegistry registry, String name, String description, Tags tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  /**
   * {@code switchboard_store_errors_total{store}}: one family for every role's store ({@code events},
   * {@code presence}, {@code rate_limits}), so its name and description are written once, here.
   */
  public static Counter storeErrors(MeterRegistry registry, String store) {
    return counter(registry, "switchboard.store.errors", "failed operations of a store, by store",
        Tags.of("store", store));
  }
}
