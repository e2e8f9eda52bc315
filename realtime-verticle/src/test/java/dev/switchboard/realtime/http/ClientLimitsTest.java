package dev.switchboard.realtime.http;

import dev.switchboard.realtime.wire.Refusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClientLimitsTest {

  @Test
  void countsOpenConnectionsPerAddress() {
    ClientLimits limits = new ClientLimits(2, 100);
    assertNull(limits.admit("10.0.0.1", 0));
    assertNull(limits.admit("10.0.0.1", 0));
    assertEquals(Refusal.TOO_MANY_CONNECTIONS, limits.admit("10.0.0.1", 0));
    assertNull(limits.admit("10.0.0.2", 0), "another address has its own count");
    limits.release("10.0.0.1");
    assertNull(limits.admit("10.0.0.1", 0));
  }

  @Test
  void limitsHandshakesPerSecondAfterABurst() {
    ClientLimits limits = new ClientLimits(1000, 10);
    for (int i = 0; i < 1000; i++) {
      assertNull(limits.admit("10.0.0.1", 0));
      limits.release("10.0.0.1");
    }
    assertEquals(Refusal.TOO_MANY_HANDSHAKES, limits.admit("10.0.0.1", 0));
    assertNull(limits.admit("10.0.0.1", 100), "100 ms refill one handshake at 10/s");
  }

  @Test
  void forgetsIdleAddresses() {
    ClientLimits limits = new ClientLimits(5, 10);
    limits.admit("10.0.0.1", 0);
    limits.release("10.0.0.1");
    limits.sweep(10_000);
    assertEquals(0, limits.trackedAddresses());
  }
}
