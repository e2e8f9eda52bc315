package dev.switchboard.realtime.http;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {

  private final TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8, 192.0.2.7, fd00::/8");

  @Test
  void matchesAddressesAndCidrs() {
    assertTrue(proxies.trusts("10.1.2.3"));
    assertTrue(proxies.trusts("192.0.2.7"));
    assertFalse(proxies.trusts("192.0.2.8"));
    assertTrue(proxies.trusts("fd12::1"));
    assertFalse(proxies.trusts("2001:db8::1"));
    assertFalse(proxies.trusts("not-an-address"), "names are never looked up");
  }

  @Test
  void theClientOfADirectPeerIsThePeerWhateverItsHeadersSay() {
    assertEquals("203.0.113.9", proxies.clientOf("203.0.113.9", headers("X-Forwarded-For", "198.51.100.1")));
  }

  @Test
  void behindTrustedProxiesTheClientIsTheRightMostAddressTheyDidNotAdd() {
    assertEquals("198.51.100.1", proxies.clientOf("10.0.0.1",
        headers("X-Forwarded-For", "1.2.3.4, 198.51.100.1, 10.0.0.2")), "a client's own left-most claim is ignored");
    assertEquals("198.51.100.1", proxies.clientOf("10.0.0.1", headers("X-Forwarded-For", "198.51.100.1:4711")));
    assertEquals("2001:db8::1", proxies.clientOf("10.0.0.1",
        headers("Forwarded", "for=1.2.3.4, for=\"[2001:db8::1]:4711\";proto=https")));
    assertEquals("10.0.0.1", proxies.clientOf("10.0.0.1", headers("X-Forwarded-For", "unknown")),
        "an unusable hop leaves the proxy's own address");
    assertEquals("10.0.0.1", proxies.clientOf("10.0.0.1", MultiMap.caseInsensitiveMultiMap()));
  }

  @Test
  void refusesWhatIsNotAnAddressOrCidr() {
    assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("proxy.example.com"));
    assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
    assertEquals(TrustedProxies.NONE, TrustedProxies.parse(" "));
  }

  private static MultiMap headers(String name, String value) {
    return MultiMap.caseInsensitiveMultiMap().add(name, value);
  }
}
