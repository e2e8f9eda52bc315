package dev.switchboard.realtime.http;

import dev.switchboard.realtime.wire.Refusal;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientLimitsTest {

  static ConnectionRules rules(int maxConnectionsPerIp, int handshakesPerSec) {
    return new ConnectionRules(maxConnectionsPerIp, handshakesPerSec, Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(90), TrustedProxies.NONE, 256);
  }

  @Test
  void countsOpenConnectionsPerAddress() {
    ClientLimits limits = new ClientLimits(rules(2, 100));
    assertTrue(limits.open("10.0.0.1", 0));
    assertTrue(limits.open("10.0.0.1", 0));
    assertFalse(limits.open("10.0.0.1", 0));
    assertTrue(limits.open("10.0.0.2", 0), "another address has its own count");
    limits.release("10.0.0.1");
    assertTrue(limits.open("10.0.0.1", 0));
  }

  @Test
  void limitsHandshakesPerSecondAfterABurst() {
    ClientLimits limits = new ClientLimits(rules(1000, 10));
    for (int i = 0; i < 1000; i++) {
      assertNull(limits.handshake("10.0.0.1", 0));
    }
    assertEquals(Refusal.TOO_MANY_HANDSHAKES, limits.handshake("10.0.0.1", 0));
    assertNull(limits.handshake("10.0.0.1", 100), "100 ms refill one handshake at 10/s");
  }

  @Test
  void keepsOnlyAFewConnectionsOfOneAddressToRefuse() {
    ClientLimits limits = new ClientLimits(rules(1, 10));
    for (int i = 0; i < ClientLimits.REFUSING_PER_ADDRESS; i++) {
      assertTrue(limits.startRefusing("10.0.0.1", 0));
    }
    assertFalse(limits.startRefusing("10.0.0.1", 0));
    assertTrue(limits.startRefusing("10.0.0.2", 0), "another address has its own count");
    limits.stopRefusing("10.0.0.1");
    assertTrue(limits.startRefusing("10.0.0.1", 0));
  }

  @Test
  void forgetsIdleAddresses() {
    ClientLimits limits = new ClientLimits(rules(5, 10));
    limits.open("10.0.0.1", 0);
    limits.handshake("10.0.0.1", 0);
    limits.release("10.0.0.1");
    limits.sweep(10_000);
    assertEquals(0, limits.trackedAddresses());
  }
}
