package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconnectPolicyTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final TransportLadder ladder = new TransportLadder(Arrays.asList(Transport.values()), 2, 6);
  private final ReconnectPolicy policy = new ReconnectPolicy(new Backoff(500, 30_000), ladder, now::get, 2_000,
      60_000);

  private static LinkClosed close(boolean wasOpen, int code, String reason) {
    CloseCode close = CloseCode.of(code);
    return new LinkClosed(wasOpen, close.action(), close.error(reason));
  }

  @Test
  void stepsDownToSseAfterTwoFailedWebSocketAttempts() {
    ReconnectPolicy.Decision first = policy.afterClose(close(false, 1006, ""), true);
    assertEquals(Transport.WEBSOCKET, first.transport);
    ReconnectPolicy.Decision second = policy.afterClose(close(false, 1006, ""), true);
    assertEquals(Transport.SSE, second.transport);
    assertEquals("fallback", second.reason);
    assertEquals(0, second.retryInMs);
    assertEquals(Transport.WEBSOCKET, ladder.cameFrom(), "the SSE stream says fallbackFrom=websocket");
  }

  @Test
  void aWebSocketThatWorkedBeforeGetsSixAttempts() {
    policy.opened();
    for (int i = 0; i < 5; i++) {
      assertEquals(Transport.WEBSOCKET, policy.afterClose(close(false, 1006, ""), true).transport);
    }
    assertEquals(Transport.SSE, policy.afterClose(close(false, 1006, ""), true).transport);
  }

  @Test
  void forbiddenAndTerminatedAndPolicyViolationsStop() {
    assertNotNull(policy.afterClose(close(true, 4003, "the token does not allow this session"), true).stop);
    assertNotNull(policy.afterClose(close(true, 4010, "disconnected by an operator: do not reconnect"), true).stop);
    assertNotNull(policy.afterClose(close(true, 1008, "malformed WebSocket frame"), true).stop);
  }

  @Test
  void anExpiredTokenComesBackAtOnceThenBacksOff() {
    assertEquals(0, policy.afterClose(close(true, 4001, "token expired"), true).retryInMs);
    ReconnectPolicy.Decision again = policy.afterClose(close(false, 4001, "token expired"), true);
    assertNull(again.stop);
    assertNotNull(policy.afterClose(close(true, 4001, "token expired"), false).stop,
        "a fixed token cannot be renewed by the client");
  }

  @Test
  void rateLimitsAndTryAgainLaterWaitAtLeastWhatTheServerAsks() {
    assertTrue(policy.afterClose(close(true, 4008, "frame flood"), true).retryInMs >= 1000);
    assertTrue(policy.afterClose(close(true, 1013, "try again later; retry after 2500 ms"), true).retryInMs >= 2500);
    assertTrue(policy.afterClose(close(true, 1013, "this node has no connections to spare"), true).retryInMs >= 1000);
  }

  @Test
  void drainsSlowConsumersAndDropsReconnectWithBackoff() {
    for (int code : new int[] {1001, 1006, 1011, 1012, 4009}) {
      ReconnectPolicy.Decision decision = policy.afterClose(close(true, code, ""), true);
      assertNull(decision.stop, "reconnects after " + code);
      assertEquals(Transport.WEBSOCKET, decision.transport, "an open connection that dropped does not step down");
    }
  }

  @Test
  void afterAHealthyConnectionDropsRetriesStayUnderTheRecoveryCeilingForTheWindow() {
    ReconnectPolicy websocketOnly = new ReconnectPolicy(new Backoff(500, 30_000),
        new TransportLadder(Arrays.asList(Transport.WEBSOCKET), 2, 6), now::get, 2_000, 60_000);
    websocketOnly.opened();
    now.addAndGet(10_000);
    long longest = websocketOnly.afterClose(close(true, 1006, ""), true).retryInMs;
    for (int i = 0; i < 200; i++) {
      longest = Math.max(longest, websocketOnly.afterClose(close(false, 1006, ""), true).retryInMs);
      now.addAndGet(100);
    }
    assertTrue(longest < 2_000, "within 2 s of the node while recovering, got " + longest);
    now.addAndGet(60_000);
    long later = 0;
    for (int i = 0; i < 20; i++) {
      later = Math.max(later, websocketOnly.afterClose(close(false, 1006, ""), true).retryInMs);
    }
    assertTrue(later > 2_000, "past the window the delays grow again, got " + later);
  }

  @Test
  void aConnectionThatOpensAndFailsFastEndsTheRecovery() {
    policy.opened();
    now.addAndGet(10_000);
    policy.afterClose(close(true, 1006, ""), true);
    long longest = 0;
    for (int i = 0; i < 20; i++) {
      policy.opened();
      now.addAndGet(100);
      longest = Math.max(longest, policy.afterClose(close(true, 1011, ""), true).retryInMs);
    }
    assertTrue(longest > 2_000, "repeated fast failures grow the delays, got " + longest);
  }
}
