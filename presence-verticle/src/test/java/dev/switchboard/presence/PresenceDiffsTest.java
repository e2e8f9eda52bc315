package dev.switchboard.presence;

import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceDiff;
import dev.switchboard.protocol.PresenceUser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresenceDiffsTest {

  private static final PresenceUser ADA = new PresenceUser("ada", "Ada", null);
  private static final PresenceUser BOB = new PresenceUser("bob", "Bob", null);
  private static final PresenceUser CY = new PresenceUser("cy", "Cy", null);

  private final PresenceDiffs diffs = new PresenceDiffs();

  @Test
  void collectsEachSessionsJoinsAndLeavesInTheOrderTheyHappened() {
    diffs.add(join("s1", BOB));
    diffs.add(join("s2", ADA));
    diffs.add(leave("s1", CY));
    diffs.add(join("s1", ADA));

    assertEquals(List.of(
        new PresenceDiffs.Pending("s1", List.of(BOB, ADA), List.of(CY)),
        new PresenceDiffs.Pending("s2", List.of(ADA), List.of())), diffs.take());
    assertTrue(diffs.isEmpty());
    assertEquals(List.of(), diffs.take(), "taken once");
  }

  @Test
  void aUserWhoJoinsAndLeavesWithinOneIntervalIsNotMentionedNorOneWhoLeavesAndComesBack() {
    diffs.add(join("s1", ADA));
    diffs.add(leave("s1", ADA));
    diffs.add(leave("s1", BOB));
    diffs.add(join("s1", BOB));
    diffs.add(leave("s2", CY));
    diffs.add(join("s2", CY));
    diffs.add(leave("s2", CY));

    assertEquals(List.of(new PresenceDiffs.Pending("s2", List.of(), List.of(CY))), diffs.take(),
        "s1 cancelled out and is left out; Cy's last word in s2 is a leave");
  }

  @Test
  void aUserWhoLeftJoinsAgainAsLastSeen() {
    PresenceUser renamed = new PresenceUser("ada", "Ada L.", null);
    diffs.add(join("s1", ADA));
    diffs.add(leave("s1", ADA));
    diffs.add(join("s1", renamed));

    assertEquals(List.of(new PresenceDiffs.Pending("s1", List.of(renamed), List.of())), diffs.take());
  }

  @Test
  void namesUsersUpToTheBroadcastMaxAndCountsThemAboveIt() {
    PresenceDiffs.Pending pending = new PresenceDiffs.Pending("s1", List.of(ADA, BOB), List.of(CY));

    assertEquals(PresenceDiff.listing("s1", 3, List.of(ADA, BOB), List.of(CY)), pending.diff(3, 3));
    assertEquals(PresenceDiff.countsOnly("s1", 4, 2, 1), pending.diff(4, 3), "the session is above the max");
    assertEquals(PresenceDiff.countsOnly("s1", 1, 2, 1), pending.diff(1, 2), "the diff names more than the max");
    assertEquals(PresenceDiff.countsOnly("s1", 0, 2, 1), pending.diff(0, 0), "a max of 0 never names anyone");
  }

  @Test
  void aDiffThatCouldNotGoOutTurnsBackIntoItsChanges() {
    PresenceDiffs.Pending pending = new PresenceDiffs.Pending("s1", List.of(ADA), List.of(BOB));
    pending.changes().forEach(diffs::add);

    assertEquals(List.of(pending), diffs.take());
  }

  private static PresenceChange join(String sessionId, PresenceUser user) {
    return new PresenceChange(sessionId, PresenceAction.JOIN, user);
  }

  private static PresenceChange leave(String sessionId, PresenceUser user) {
    return new PresenceChange(sessionId, PresenceAction.LEAVE, user);
  }
}
