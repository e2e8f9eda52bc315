package dev.switchboard.presence;

import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceDiff;
import dev.switchboard.protocol.PresenceUser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresenceDiffsTest {

  private static final PresenceUser ADA = new PresenceUser("ada", "Ada", null);
  private static final PresenceUser BOB = new PresenceUser("bob", "Bob", null);
  private static final PresenceUser CY = new PresenceUser("cy", "Cy", null);

  private static final Map<String, Integer> NONE = Map.of();

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

    assertEquals(PresenceDiff.listing("s1", 3, List.of(ADA, BOB), List.of(CY), Map.of()), pending.diff(3, NONE, 3));
    assertEquals(PresenceDiff.countsOnly("s1", 4, 2, 1, NONE), pending.diff(4, NONE, 3), "the session is above the max");
    assertEquals(PresenceDiff.countsOnly("s1", 1, 2, 1, NONE), pending.diff(1, NONE, 2),
        "the diff names more than the max");
    assertEquals(PresenceDiff.countsOnly("s1", 0, 2, 1, NONE), pending.diff(0, NONE, 0),
        "a max of 0 never names anyone");
  }

  @Test
  void anonymousSubscribersMakeADiffButAreNeverNamedNorCountedAsUsers() {
    PresenceUser display = PresenceUser.anonymous("display", "n1", "c1");
    PresenceUser watcher = PresenceUser.anonymous("anonymous", "n1", "c2");
    diffs.add(join("s1", display));
    diffs.add(join("s1", ADA));
    diffs.add(leave("s1", watcher));
    diffs.add(join("s2", display));
    List<PresenceDiffs.Pending> pending = diffs.take();

    Map<String, Integer> counts = Map.of("display", 2);
    assertEquals(PresenceDiff.listing("s1", 1, List.of(ADA), List.of(), counts), pending.get(0).diff(1, counts, 10));
    assertEquals(PresenceDiff.listing("s2", 1, List.of(), List.of(), counts), pending.get(1).diff(1, counts, 10),
        "a session where only anonymous subscribers changed still gets their new counts");
    assertEquals(PresenceDiff.countsOnly("s1", 1, 1, 0, counts), pending.get(0).diff(1, counts, 0));
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
