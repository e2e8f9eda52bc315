package dev.switchboard.realtime.canary;

import dev.switchboard.protocol.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The canary's meters: {@code switchboard_canary_seconds{source}}, the end-to-end latency of canary events by the edge
 * that published them (this one, and in a cluster the one member it watches, so at most two values per edge and never
 * more than the cluster's edges), and {@code switchboard_canary_failures_total{stage}}, every stage registered at 0.
 * Used on its edge loop.
 */
public final class CanaryMeters {

  private final MeterRegistry registry;
  private final Map<CanaryStage, Counter> failures = new EnumMap<>(CanaryStage.class);
  private final Map<String, Timer> latency = new HashMap<>();

  public CanaryMeters(MeterRegistry registry) {
    this.registry = registry;
    for (CanaryStage stage : CanaryStage.values()) {
      failures.put(stage, Meters.counter(registry, "switchboard.canary.failures",
          "canary rounds that failed, by the stage that failed", Tags.of("stage", stage.label())));
    }
  }

  /** A canary from {@code source} (a node id) arrived {@code micros} after it was sent. */
  void observed(String source, long micros) {
    latency.computeIfAbsent(source, s -> Meters.latency(registry, "switchboard.canary",
            "from a canary's publish to its arrival at this edge's loopback subscriber, by publishing node",
            Tags.of("source", s)))
        .record(Math.max(0, micros), TimeUnit.MICROSECONDS);
  }

  void failed(CanaryStage stage) {
    failures.get(stage).increment();
  }
}
