package dev.switchboard.server;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Large frames are charged by their bytes, per connection and per user across connections, before they are parsed:
 * within the frame budget, a byte flood is told once, then closed with 4008.
 */
class InboundBytesTest {

  /** 40,000 bytes per second, a bucket of 80,000: one 60 KB frame fits, two do not. */
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("SB_MAX_INBOUND_BYTES_PER_SEC", "40000"));

  private static final String ALICE = TestTokens.user("alice", List.of("*"), List.of("*"));
  private static final String BOB = TestTokens.user("bob", List.of("*"), List.of("*"));

  private static String ping(int bytes) {
    return new JsonObject().put("type", "ping").put("filler", "x".repeat(bytes - 40)).encode();
  }

  @Test
  void aConnectionSendingLargeFramesWithinItsFrameBudgetIsToldThenClosedWith4008() {
    try (WsClient client = node.connect("sessionId=bytes-one", ALICE)) {
      client.next("connected");
      client.sendText(ping(60_000));
      client.next("pong");
      for (int i = 0; i < 150; i++) {
        client.sendText(ping(60_000));
      }
      JsonObject error = client.next("error");
      assertEquals("rate_limited", error.getString("code"));
      assertEquals(4008, client.awaitClose());
    }
  }

  @Test
  void aUsersBytesAreCountedAcrossTheirConnections() {
    try (WsClient first = node.connect("sessionId=bytes-a", BOB);
         WsClient second = node.connect("sessionId=bytes-b", BOB)) {
      first.next("connected");
      second.next("connected");
      first.sendText(ping(35_000));
      first.next("pong");
      first.sendText(ping(35_000));
      first.next("pong");
      second.sendText(ping(35_000));
      assertEquals("rate_limited", second.next("error").getString("code"),
          "the second socket's own budget is untouched, but bob's is spent");
    }
  }
}
