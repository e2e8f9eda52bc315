package dev.switchboard.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections that never finish are closed (docs/PROTOCOL.md, Limits): one that sends nothing, one that trickles its
 * headers or its body, and a kept-alive one that sends no next request; while connections that keep to the deadlines
 * are served. The deadlines are short here; the bounds the tests wait for are generous, and say nothing of speed.
 */
class ConnectionDeadlinesTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("SB_HTTP_HEADER_TIMEOUT", "1s", "SB_HTTP_BODY_TIMEOUT", "1s",
      "SB_HTTP_IDLE_TIMEOUT", "2s", "SB_HEARTBEAT_SEC", "1"));
  private static final String TOKEN = TestTokens.user("alice", List.of("*"), List.of("*"));
  private static final long GENEROUS_MS = 12_000;

  @Test
  void aConnectionThatNeverSendsAByteIsClosed() {
    try (RawConnection silent = RawConnection.open(node, "127.0.0.1")) {
      assertTrue(silent.awaitClosed(GENEROUS_MS), "a silent connection stayed open");
    }
  }

  @Test
  void aConnectionThatTricklesItsHeadersIsClosedThoughEveryByteIsOnTime() throws Exception {
    try (RawConnection slow = RawConnection.open(node, "127.0.0.1")) {
      slow.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      assertTrue(slow.trickleUntilClosed(200, GENEROUS_MS), "half-sent headers kept the connection open");
    }
  }

  @Test
  void aBodyThatTricklesIsClosed() throws Exception {
    try (RawConnection slow = RawConnection.open(node, "127.0.0.1")) {
      slow.write("POST /sessions/deadlines/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
          + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"eventType\":\"t\",");
      assertTrue(slow.trickleUntilClosed(200, GENEROUS_MS), "a slow body kept the connection open");
    }
  }

  @Test
  void aKeptAliveConnectionIsServedWhileItAsksAndClosedWhenItIdles() throws Exception {
    try (RawConnection kept = RawConnection.open(node, "127.0.0.1")) {
      // Four requests over ~3 s, more than the idle timeout in all, each within it of the last answer.
      for (int i = 0; i < 4; i++) {
        assertEquals(200, kept.get("/health").answer().status());
        Thread.sleep(800);
      }
      assertTrue(kept.awaitClosed(GENEROUS_MS), "an idle kept-alive connection stayed open");
    }
  }

  @Test
  void aWebSocketClientsOwnPingsAreSignsOfLife() throws Exception {
    try (RawConnection socket = RawConnection.open(node, "127.0.0.1")) {
      RawConnection.Answer switched = socket.get("/events?sessionId=deadlines-ws&access_token=" + TOKEN,
          "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==").answer();
      assertEquals(101, switched.status());
      // It never answers the server's pings; its own pings, for longer than two heartbeats, keep it open.
      for (int i = 0; i < 10; i++) {
        socket.sendPing();
        Thread.sleep(400);
      }
      assertFalse(socket.closeFrameWithin(200), "a client that pings was closed");
      assertEquals(1001, socket.awaitCloseFrame(), "silent after its pings, it is closed for its silence");
    }
  }

  @Test
  void aWaitingLongPollIsNotIdleAndAStreamIsNotSlow() throws Exception {
    try (RawConnection poll = RawConnection.open(node, "127.0.0.1");
         RawConnection stream = RawConnection.open(node, "127.0.0.1")) {
      poll.get("/poll?sessionId=deadlines-poll&fromEventId=0&timeoutMs=4000", "Authorization: Bearer " + TOKEN);
      stream.get("/events?sessionId=deadlines-sse", "Accept: text/event-stream", "Authorization: Bearer " + TOKEN);
      assertFalse(stream.awaitClosed(4_000), "an open SSE stream was closed");
      RawConnection.Answer answer = poll.answer();
      assertEquals(200, answer.status(), "a long poll waiting longer than every deadline was not answered");
    }
  }
}
