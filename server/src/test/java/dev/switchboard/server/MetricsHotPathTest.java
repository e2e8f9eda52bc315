package dev.switchboard.server;

import dev.switchboard.protocol.MicrosClock;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import dev.switchboard.realtime.metrics.Transport;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the edge records per delivery, on the real (Prometheus) registry, allocates nothing: counting must not cost
 * the fan-out an allocation (docs/ARCHITECTURE.md, Metrics).
 */
class MetricsHotPathTest {

  private static final int DELIVERIES = 200_000;

  @Test
  void recordingADeliveryAllocatesNothing() {
    EdgeMetrics metrics = NodeMetrics.of(true).edge();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    // Warm up, so that what is measured is the compiled path (and every lazily created meter exists).
    record(metrics);
    record(metrics);
    long before = threads.getThreadAllocatedBytes(thread);
    record(metrics);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated < 4096, DELIVERIES + " deliveries allocated " + allocated + " bytes");
  }

  private static void record(EdgeMetrics metrics) {
    long committedAt = MicrosClock.now() - 250;
    for (int i = 0; i < DELIVERIES; i++) {
      metrics.delivered(Transport.WEBSOCKET, committedAt, false);
      metrics.delivered(Transport.SSE, 0, true);
      if (i % 100 == 0) {
        metrics.fannedOut(committedAt);
      }
    }
  }
}
