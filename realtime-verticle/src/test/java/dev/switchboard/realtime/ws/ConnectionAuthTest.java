package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.Principal;
import dev.switchboard.realtime.EdgeTimers;
import dev.switchboard.realtime.wire.Refusal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionAuthTest {

  private final FakeTimers timers = new FakeTimers();
  private final List<String> refusals = new ArrayList<>();
  private ConnectionAuth auth;

  @BeforeEach
  void setUp() {
    auth = new ConnectionAuth(timers, refusals::add);
  }

  private static Principal expiringAt(long expiresAt) {
    return new Principal("ada", "Ada", null, List.of("*"), List.of("*"), expiresAt);
  }

  @Test
  void aConnectionWithoutATokenIsRefusedWhenTheDeadlinePasses() {
    auth.awaitToken(Duration.ofSeconds(5));
    assertTrue(auth.awaitingToken());
    timers.advance(4_999);
    assertEquals(List.of(), refusals);
    timers.advance(1);
    assertEquals(List.of("no token: send an auth frame within 5 s"), refusals);
  }

  @Test
  void aTokenReceivedInTimeCancelsTheDeadline() {
    auth.awaitToken(Duration.ofSeconds(5));
    auth.tokenReceived();
    assertFalse(auth.awaitingToken());
    auth.accept(expiringAt(timers.now() + 60_000));
    timers.advance(10_000);
    assertEquals(List.of(), refusals);
  }

  @Test
  void theTokenInForceExpiresAtItsExpAndARefreshMovesIt() {
    auth.accept(expiringAt(timers.now() + 3_000));
    timers.advance(2_000);
    auth.accept(expiringAt(timers.now() + 3_000));
    timers.advance(2_000);
    assertEquals(List.of(), refusals, "the first token's exp no longer applies");
    timers.advance(1_000);
    assertEquals(List.of(Refusal.TOKEN_EXPIRED.message()), refusals);
  }

  @Test
  void aTokenAlreadyExpiredIsRefusedAtOnceAndCloseStopsEveryTimer() {
    auth.accept(expiringAt(timers.now() - 1));
    assertEquals(List.of(Refusal.TOKEN_EXPIRED.message()), refusals);
    ConnectionAuth other = new ConnectionAuth(timers, refusals::add);
    other.awaitToken(Duration.ofSeconds(1));
    other.close();
    timers.advance(60_000);
    assertEquals(1, refusals.size());
  }

  /** A clock that moves only when told, and the timers due by then. */
  static final class FakeTimers implements EdgeTimers {
    private long now = 1_700_000_000_000L;
    private long nextId;
    private final TreeMap<Long, Object[]> due = new TreeMap<>();

    @Override
    public long now() {
      return now;
    }

    @Override
    public long schedule(long delayMs, Runnable task) {
      long id = nextId++;
      due.put(id, new Object[] {now + Math.max(1, delayMs), task});
      return id;
    }

    @Override
    public void cancel(long id) {
      due.remove(id);
    }

    void advance(long ms) {
      now += ms;
      List<Long> ready = new ArrayList<>();
      due.forEach((id, entry) -> {
        if ((long) entry[0] <= now) {
          ready.add(id);
        }
      });
      for (long id : ready) {
        Object[] entry = due.remove(id);
        if (entry != null) {
          ((Runnable) entry[1]).run();
        }
      }
    }
  }
}
