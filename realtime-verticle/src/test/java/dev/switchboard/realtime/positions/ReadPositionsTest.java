package dev.switchboard.realtime.positions;

import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.SessionPositions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Where a subscription starts (docs/PROTOCOL.md, Starting position). */
class ReadPositionsTest {

  private static final Principal ADA = new Principal("ada", null, null, List.of("*"), List.of(), Long.MAX_VALUE);

  @Test
  void aPositionOfTheClientsOwnWins() {
    assertEquals(9L, ReadPositions.startAfter(ADA, "room", 9L, new SessionPositions("room", 12, 11, 4L)));
    assertEquals(0L, ReadPositions.startAfter(ADA, "user:ada", 0L, new SessionPositions("user:ada", 3, 0, 2L)));
  }

  @Test
  void withoutOneTheReadPositionIfSetElseLive() {
    assertEquals(4L, ReadPositions.startAfter(ADA, "room", null, new SessionPositions("room", 12, 11, 4L)));
    assertEquals(0L, ReadPositions.startAfter(ADA, "room", null, new SessionPositions("room", 12, 11, 0L)));
    assertNull(ReadPositions.startAfter(ADA, "room", null, new SessionPositions("room", 12, 11, null)));
    assertNull(ReadPositions.startAfter(ADA, "room", null, null), "positions unavailable: live");
  }

  @Test
  void thePersonalSessionIsReadFromItsStartUntilAReadPositionIsSet() {
    assertEquals(0L, ReadPositions.startAfter(ADA, "user:ada", null, new SessionPositions("user:ada", 3, 0, null)));
    assertEquals(0L, ReadPositions.startAfter(ADA, "user:ada", null, null));
    assertEquals(2L, ReadPositions.startAfter(ADA, "user:ada", null, new SessionPositions("user:ada", 3, 0, 2L)));
    assertNull(ReadPositions.startAfter(ADA, "user:bob", null, null), "another user's is no inbox of ada's");
  }
}
