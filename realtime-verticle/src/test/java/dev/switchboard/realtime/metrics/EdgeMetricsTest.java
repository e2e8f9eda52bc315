package dev.switchboard.realtime.metrics;

import dev.switchboard.protocol.MicrosClock;
import dev.switchboard.realtime.wire.Refusal;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EdgeMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EdgeMetrics metrics = new EdgeMetrics(registry);

  private double counter(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void closeCodesOutsideTheCatalogueShareOneLabel() {
    long opened = metrics.connectionOpened(Transport.WEBSOCKET);
    assertEquals(1, registry.get("switchboard.connections").tags("transport", "websocket").gauge().value());
    metrics.connectionClosed(Transport.WEBSOCKET, opened, 4001);
    metrics.connectionClosed(Transport.WEBSOCKET, opened, 1006);
    metrics.connectionClosed(Transport.WEBSOCKET, opened, 3999);
    metrics.connectionClosed(Transport.WEBSOCKET, opened, 4321);
    assertEquals(1, counter("switchboard.connections.closed", "transport", "websocket", "code", "4001"));
    assertEquals(1, counter("switchboard.connections.closed", "transport", "websocket", "code", "1006"));
    assertEquals(2, counter("switchboard.connections.closed", "transport", "websocket", "code", "other"));
    List<String> codes = registry.find("switchboard.connections.closed").counters().stream()
        .map(c -> c.getId().getTag("code")).sorted().toList();
    assertEquals(List.of("1006", "4001", "other"), codes);
    assertEquals(4, registry.get("switchboard.connection.duration").tags("transport", "websocket").timer().count());
  }

  @Test
  void fallbacksCountOnlyAChangeBetweenKnownTransports() {
    metrics.fellBack(Transport.WEBSOCKET, Transport.SSE);
    metrics.fellBack(null, Transport.SSE);
    metrics.fellBack(Transport.SSE, Transport.SSE);
    assertEquals(1, counter("switchboard.fallbacks", "from", "websocket", "to", "sse"));
    assertEquals(1, registry.find("switchboard.fallbacks").counters().stream().mapToDouble(c -> c.count()).sum());
    assertEquals(null, Transport.of("carrier-pigeon"));
  }

  @Test
  void onlyLimitsRefusalsCountAsRateLimited() {
    metrics.refused(Refusal.TOO_MANY_HANDSHAKES);
    metrics.refused(Refusal.TOO_MANY_CONNECTIONS);
    metrics.refused(Refusal.ORIGIN_FORBIDDEN);
    assertEquals(1, counter("switchboard.rate.limited", "kind", "handshakes"));
    assertEquals(1, counter("switchboard.rate.limited", "kind", "connections"));
    assertEquals(2, registry.find("switchboard.rate.limited").counters().stream().mapToDouble(c -> c.count()).sum());
  }

  @Test
  void liveDeliveriesAreTimedAndReplayedOnesCounted() {
    metrics.delivered(Transport.SSE, MicrosClock.now() - 1_000, false);
    metrics.delivered(Transport.SSE, 0, false);
    metrics.delivered(Transport.POLL, 0, true);
    assertEquals(2, counter("switchboard.deliveries", "transport", "sse"));
    assertEquals(1, counter("switchboard.deliveries", "transport", "poll"));
    assertEquals(1, counter("switchboard.replayed.events"));
    assertEquals(1, registry.get("switchboard.delivery").timer().count());
  }

  @Test
  void noMeterIsTaggedWithAnythingButItsClosedSets() {
    metrics.connectionClosed(Transport.POLL, metrics.connectionOpened(Transport.POLL), 1000);
    for (Meter meter : registry.getMeters()) {
      for (var tag : meter.getId().getTags()) {
        assertEquals(true, List.of("transport", "code", "from", "to", "kind", "reason", "outcome", "le")
            .contains(tag.getKey()), meter.getId().toString());
      }
    }
  }
}
