package dev.switchboard.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PrincipalTest {

  @Test
  void personalSessionsAreReadableByTheirOwnerOnly() {
    Principal alice = new Principal("alice", null, null, List.of("*"), List.of("*"), 0);
    Principal reader = new Principal("reader", null, null, List.of("room-*"), List.of(), 0);
    assertTrue(alice.canSubscribe("user:alice"));
    assertTrue(!alice.canSubscribe("user:bob"), "a * claim does not open another user's notifications");
    assertTrue(reader.canSubscribe("user:reader"), "the owner needs no claim for their own");
    assertTrue(alice.canPublish("user:bob"), "publishing follows the publish claim, e.g. a backend's");
    Principal server = new Principal(null, null, null, List.of("*"), List.of("*"), Long.MAX_VALUE);
    assertTrue(server.canSubscribe("user:bob"));
  }

  @Test
  void reservedSessionsAreClosedToEveryClaim() {
    Principal everything = new Principal("mallory", null, null, List.of("*"), List.of("*"), 0);
    Principal exact = new Principal("mallory", null, null, List.of("sys:canary:a", "sys:*"),
        List.of("sys:canary:a"), 0);
    Principal apiKey = new Principal(null, null, null, List.of("*"), List.of("*"), Long.MAX_VALUE);
    for (Principal principal : List.of(everything, exact, apiKey)) {
      assertTrue(!principal.canSubscribe("sys:canary:a"), principal.toString());
      assertTrue(!principal.canPublish("sys:canary:a"), principal.toString());
    }
    assertTrue(everything.canSubscribe("system:a"), "only the sys: prefix is reserved");
    assertTrue(Principal.INTERNAL.canSubscribe("sys:canary:a"));
    assertTrue(!Principal.fromJson(Principal.INTERNAL.toJson()).canSubscribe("sys:canary:a"),
        "a principal decoded with the same fields is not the server's own");
  }
}
