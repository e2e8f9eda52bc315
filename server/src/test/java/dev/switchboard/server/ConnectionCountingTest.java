package dev.switchboard.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.management.UnixOperatingSystemMXBean;
import dev.switchboard.protocol.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every TCP connection of a client address counts against its limit, whatever it carries (docs/PROTOCOL.md, Limits):
 * long polls and kept-alive requests as well as WebSockets and SSE streams; behind a trusted proxy the forwarded client
 * is counted instead; an SSE stream may name no more sessions than a WebSocket may subscribe to; and past the node's
 * file descriptors for clients, connections are refused while {@code /health} is still answered. Each test uses a
 * loopback address of its own (127.0.0.x), so their counts do not meet.
 */
class ConnectionCountingTest {

  private static final int MAX_PER_ADDRESS = 3;
  private static final String PROXY = "127.0.0.30";
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("SB_MAX_CONNECTIONS_PER_IP", Integer.toString(MAX_PER_ADDRESS),
      "SB_MAX_SUBSCRIPTIONS", "3", "SB_TRUSTED_PROXIES", PROXY + ", 10.0.0.0/8"));
  private static final String TOKEN = TestTokens.user("alice", List.of("*"), List.of("*"));
  private static final String AUTH = "Authorization: Bearer " + TOKEN;
  private static final String POLL = "/poll?sessionId=counting&fromEventId=0&timeoutMs=20000";

  @Test
  void longPollsAndPlainRequestsCountAgainstTheirAddress() {
    List<RawConnection> held = new ArrayList<>();
    try {
      holdPolls(held, "127.0.0.21");
      try (RawConnection fourth = RawConnection.open(node, "127.0.0.21")) {
        RawConnection.Answer refused = fourth.get("/sessions/counting/events", AUTH).answer();
        assertEquals(429, refused.status());
        assertEquals("rate_limited", refused.errorCode());
        assertEquals("close", refused.headers().get("connection"));
        assertEquals("1", refused.headers().get("retry-after"));
        assertTrue(fourth.awaitClosed(5_000), "a refused connection was kept");
      }
      try (RawConnection health = RawConnection.open(node, "127.0.0.21")) {
        assertEquals(200, health.get("/health").answer().status(), "/health is answered past the limit too");
      }
      try (RawConnection otherAddress = RawConnection.open(node, "127.0.0.22")) {
        assertEquals(200, otherAddress.get("/sessions/counting/events", AUTH).answer().status());
      }
      held.remove(0).close();
      awaitAdmitted("127.0.0.21");
    } finally {
      held.forEach(RawConnection::close);
    }
  }

  @Test
  void aWebSocketPastTheLimitIsClosedWith4008() {
    List<RawConnection> held = new ArrayList<>();
    try {
      holdPolls(held, "127.0.0.23");
      try (RawConnection upgrade = RawConnection.open(node, "127.0.0.23")) {
        RawConnection.Answer switched = upgrade.get("/events?sessionId=counting&access_token=" + TOKEN,
            "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==").answer();
        assertEquals(101, switched.status());
        assertEquals(4008, upgrade.closeCode());
      }
    } finally {
      held.forEach(RawConnection::close);
    }
  }

  @Test
  void behindATrustedProxyTheForwardedClientIsCountedAndAClientsOwnHeaderIsNot() {
    List<RawConnection> held = new ArrayList<>();
    try {
      holdPolls(held, PROXY, "X-Forwarded-For: 198.51.100.1");
      try (RawConnection fourth = RawConnection.open(node, PROXY)) {
        assertEquals(429, fourth.get(POLL, AUTH, "X-Forwarded-For: 203.0.113.5, 198.51.100.1").answer().status(),
            "the same client behind the proxy, whatever it wrote itself");
      }
      holdPolls(held, PROXY, "Forwarded: for=198.51.100.2");
      assertEquals(2 * MAX_PER_ADDRESS, held.size(), "another client behind the same proxy has its own count");
      for (RawConnection poll : held) {
        assertFalse(poll.awaitClosed(50), "a poll within its client's limit was refused");
      }
      // From an address that is not a trusted proxy, the header is the client's word and counts for nothing.
      holdPolls(held, "127.0.0.24", "X-Forwarded-For: 198.51.100.7");
      try (RawConnection fourth = RawConnection.open(node, "127.0.0.24")) {
        assertEquals(429, fourth.get(POLL, AUTH, "X-Forwarded-For: 198.51.100.99").answer().status());
      }
    } finally {
      held.forEach(RawConnection::close);
    }
  }

  @Test
  void anSseStreamMayNameNoMoreSessionsThanAWebSocketMaySubscribeTo() {
    try (RawConnection stream = RawConnection.open(node, "127.0.0.25")) {
      RawConnection.Answer refused = stream.get("/events?sessionId=a&sessionId=b&sessionId=c&sessionId=d",
          "Accept: text/event-stream", AUTH).answer();
      assertEquals(400, refused.status());
      assertTrue(refused.body().contains("at most 3 sessions per connection"), refused.body());
    }
  }

  @Test
  void pastTheClientsShareOfFileDescriptorsConnectionsAreRefusedAndHealthStillAnswers() throws Exception {
    UnixOperatingSystemMXBean os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    // Leave clients about 10 descriptors: the reserve is everything else.
    long reserve = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 10;
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger guardLog = (Logger) LoggerFactory.getLogger("dev.switchboard.realtime.http.ConnectionGuard");
    log.start();
    guardLog.addAppender(log);
    List<RawConnection> held = new ArrayList<>();
    try (TestNode small = TestNode.start(Map.of("SB_FD_RESERVE", Long.toString(reserve),
        "SB_HTTP_HEADER_TIMEOUT", "30s"))) {
      // Silent connections from 20 addresses, 3 each: past the cap, some are kept to be refused, the rest closed.
      for (int i = 0; i < 60; i++) {
        held.add(RawConnection.open(small, "127.0.1." + (1 + i % 20)));
      }
      Thread.sleep(300);
      try (RawConnection request = RawConnection.open(small, "127.0.2.1")) {
        RawConnection.Answer refused = request.get("/sessions/full/events", AUTH).answer();
        assertEquals(503, refused.status());
        assertEquals("unavailable", refused.errorCode());
      }
      try (RawConnection health = RawConnection.open(small, "127.0.2.2")) {
        assertEquals(200, health.get("/health").answer().status());
      }
      long warnings = log.list.stream().filter(line -> line.getFormattedMessage().startsWith("refusing connections"))
          .count();
      assertEquals(1, warnings, "one warning for the whole flood");
    } finally {
      held.forEach(RawConnection::close);
      guardLog.detachAppender(log);
    }
  }

  /** After a held connection of {@code address} closed, a new one is served (the release may take a moment). */
  /**
   * Opens as many waiting long polls from {@code address} as it may hold, and waits until the node has them all:
   * connections are accepted on several event loops, so one opened later could otherwise be counted first.
   */
  private static void holdPolls(List<RawConnection> held, String address, String... headers) {
    double before = openPolls();
    for (int i = 0; i < MAX_PER_ADDRESS; i++) {
      String[] lines = new String[headers.length + 1];
      lines[0] = AUTH;
      System.arraycopy(headers, 0, lines, 1, headers.length);
      held.add(RawConnection.open(node, address).get(POLL, lines));
    }
    Await.until(() -> openPolls() == before + MAX_PER_ADDRESS);
  }

  private static double openPolls() {
    return node.scrape().value("switchboard_connections", "transport", "poll");
  }

  private static void awaitAdmitted(String address) {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (RawConnection again = RawConnection.open(node, address)) {
        if (again.get("/sessions/counting/events", AUTH).answer().status() == 200) {
          return;
        }
      }
    }
    throw new AssertionError(address + " was not admitted again after one of its connections closed");
  }
}
