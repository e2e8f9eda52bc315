package dev.switchboard.realtime.canary;

import dev.switchboard.protocol.Principal;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The canary's pass admits its own secret from a loopback peer only, and gives the server's own principal. */
class CanaryPassTest {

  private final CanaryPass pass = new CanaryPass();

  @Test
  void admitsItsSecretFromLoopback() {
    assertSame(Principal.INTERNAL, pass.admit(pass.token(), SocketAddress.inetSocketAddress(40000, "127.0.0.1")));
    assertSame(Principal.INTERNAL, pass.admit(pass.token(), SocketAddress.inetSocketAddress(40000, "::1")));
  }

  @Test
  void refusesItsSecretFromAnyOtherPeer() {
    assertNull(pass.admit(pass.token(), SocketAddress.inetSocketAddress(40000, "10.1.2.3")));
    assertNull(pass.admit(pass.token(), SocketAddress.inetSocketAddress(40000, "192.168.0.7")));
    assertNull(pass.admit(pass.token(), SocketAddress.domainSocketAddress("/tmp/x.sock")));
    assertNull(pass.admit(pass.token(), null));
  }

  @Test
  void refusesAnyOtherTokenFromLoopback() {
    SocketAddress loopback = SocketAddress.inetSocketAddress(40000, "127.0.0.1");
    assertNull(pass.admit(null, loopback));
    assertNull(pass.admit("", loopback));
    assertNull(pass.admit(new CanaryPass().token(), loopback), "another edge's secret");
    assertNull(pass.admit(pass.token() + "x", loopback));
    assertNotEquals(pass.token(), new CanaryPass().token());
  }

  @Test
  void theInternalPrincipalAloneReachesReservedSessions() {
    Principal sameFields = Principal.fromJson(Principal.INTERNAL.toJson());
    assertFalse(sameFields.canSubscribe("sys:canary:a"), "a copy is not the server's principal");
    assertTrue(Principal.INTERNAL.canSubscribe("sys:canary:a"));
    assertFalse(Principal.INTERNAL.canPublish("sys:canary:a"), "the canary appends directly, never publishes");
  }
}
