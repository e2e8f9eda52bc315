package dev.switchboard.presence;

import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceUser;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promises every {@link PresenceStore} keeps, written once; each implementation's test subclasses it.
 */
@ExtendWith(VertxExtension.class)
public abstract class PresenceStoreContract {

  protected static final PresenceUser ADA = new PresenceUser("ada", "Ada", "presenter");
  protected static final PresenceUser BOB = new PresenceUser("bob", "Bob", "participant");
  private static final long T0 = 1_000_000;

  protected PresenceStore store;

  /** A fresh, empty store. */
  protected abstract PresenceStore newStore(Vertx vertx);

  @BeforeEach
  void createStore(Vertx vertx) {
    store = newStore(vertx);
  }

  @Test
  void firstConnectionOfAUserJoins() {
    assertTrue(join("poll-1", "node-a", "c1", ADA, T0));
    assertEquals(List.of(ADA), users("poll-1"));
    assertEquals(1, count("poll-1"));
  }

  @Test
  void secondConnectionOfTheSameUserDoesNotJoinAgain() {
    join("poll-1", "node-a", "c1", ADA, T0);

    assertFalse(join("poll-1", "node-a", "c2", ADA, T0));
    assertFalse(join("poll-1", "node-b", "c1", ADA, T0), "the same connection id on another node is another tab");
  }

  @Test
  void listsEachUserOnce() {
    join("poll-1", "node-a", "c1", ADA, T0);
    join("poll-1", "node-a", "c2", ADA, T0);
    join("poll-1", "node-b", "c3", BOB, T0);
    join("poll-1", "node-b", "c4", ADA, T0);

    assertEquals(Set.of(ADA, BOB), new HashSet<>(users("poll-1")));
    assertEquals(2, users("poll-1").size());
    assertEquals(2, count("poll-1"));
  }

  @Test
  void closingOneOfTwoTabsKeepsTheUser() {
    join("poll-1", "node-a", "c1", ADA, T0);
    join("poll-1", "node-a", "c2", ADA, T0);

    assertNull(leave("poll-1", "node-a", "c1"));
    assertEquals(List.of(ADA), users("poll-1"));
  }

  @Test
  void lastLeaveReturnsTheUser() {
    join("poll-1", "node-a", "c1", ADA, T0);
    join("poll-1", "node-b", "c2", ADA, T0);
    leave("poll-1", "node-a", "c1");

    assertEquals(ADA, leave("poll-1", "node-b", "c2"));
    assertEquals(List.of(), users("poll-1"));
    assertEquals(0, count("poll-1"));
  }

  @Test
  void leaveOfAnUnknownConnectionReturnsNull() {
    join("poll-1", "node-a", "c1", ADA, T0);

    assertNull(leave("poll-1", "node-a", "nope"));
    assertNull(leave("poll-1", "node-b", "c1"));
    assertNull(leave("poll-2", "node-a", "c1"));
    assertNull(leave("never-seen", "node-a", "c1"));
    assertEquals(List.of(ADA), users("poll-1"));
  }

  @Test
  void leavingTwiceAnnouncesOnce() {
    join("poll-1", "node-a", "c1", ADA, T0);

    assertEquals(ADA, leave("poll-1", "node-a", "c1"));
    assertNull(leave("poll-1", "node-a", "c1"));
  }

  @Test
  void joiningAgainWithTheSameConnectionCountsItOnce() {
    join("poll-1", "node-a", "c1", ADA, T0);

    assertFalse(join("poll-1", "node-a", "c1", ADA, T0 + 1));
    assertEquals(ADA, leave("poll-1", "node-a", "c1"), "one leave undoes both joins of the same connection");
  }

  @Test
  void keepsSessionsApart() {
    join("poll-1", "node-a", "c1", ADA, T0);

    assertTrue(join("poll-2", "node-a", "c1", ADA, T0), "one connection may be in several sessions");
    join("poll-2", "node-a", "c2", BOB, T0);
    assertEquals(ADA, leave("poll-1", "node-a", "c1"));

    assertEquals(List.of(), users("poll-1"));
    assertEquals(Set.of(ADA, BOB), new HashSet<>(users("poll-2")));
    assertEquals(List.of(), users("never-seen"));
    assertEquals(0, count("never-seen"));
  }

  @Test
  void countsManySessionsAtOnceInTheOrderAsked() {
    join("poll-1", "node-a", "c1", ADA, T0);
    join("poll-1", "node-a", "c2", ADA, T0);
    join("poll-1", "node-b", "c3", BOB, T0);
    join("poll-2", "node-b", "c3", BOB, T0);
    List<String> sessionIds = new ArrayList<>(List.of("poll-2", "never-seen", "poll-1"));
    for (int i = 0; i < 1_500; i++) {
      sessionIds.add("empty-" + i);
    }
    sessionIds.add("poll-1");

    List<Integer> counts = result(store.counts(sessionIds));

    assertEquals(sessionIds.size(), counts.size());
    assertEquals(List.of(1, 0, 2), counts.subList(0, 3), "each user counted once, an unknown session as 0");
    assertEquals(2, counts.get(counts.size() - 1), "past the first thousand sessions too");
    assertEquals(0, counts.subList(3, counts.size() - 1).stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void showsTheUserAsOfTheirLatestJoin() {
    join("poll-1", "node-a", "c1", ADA, T0);
    PresenceUser renamed = new PresenceUser("ada", "Ada L.", "presenter");

    join("poll-1", "node-a", "c2", renamed, T0);

    assertEquals(List.of(renamed), users("poll-1"));
  }

  @Test
  void sweepRemovesStaleConnectionsAndReportsOnlyUsersLeftWithNone() {
    join("poll-1", "node-a", "c1", ADA, T0);
    join("poll-1", "node-b", "c2", ADA, T0 + 50_000);
    join("poll-1", "node-a", "c3", BOB, T0);
    join("poll-2", "node-a", "c4", BOB, T0 + 50_000);

    List<PresenceChange> leaves = result(store.sweep(T0 + 30_000));

    // Ada keeps her fresh tab, Bob keeps poll-2: only Bob's poll-1 presence ends.
    assertEquals(List.of(new PresenceChange("poll-1", PresenceAction.LEAVE, BOB)), leaves);
    assertEquals(List.of(ADA), users("poll-1"));
    assertEquals(List.of(BOB), users("poll-2"));
    assertNull(leave("poll-1", "node-a", "c1"), "a swept connection is gone");
    assertEquals(ADA, leave("poll-1", "node-b", "c2"));
  }

  @Test
  void sweepReportsEveryUserOfACrashedNode() {
    join("poll-1", "node-a", "c1", ADA, T0);
    join("poll-2", "node-a", "c1", ADA, T0);
    join("poll-1", "node-a", "c2", BOB, T0);

    List<PresenceChange> leaves = result(store.sweep(T0 + 1));

    assertEquals(Set.of(new PresenceChange("poll-1", PresenceAction.LEAVE, ADA),
        new PresenceChange("poll-2", PresenceAction.LEAVE, ADA),
        new PresenceChange("poll-1", PresenceAction.LEAVE, BOB)), new HashSet<>(leaves));
    assertEquals(3, leaves.size());
    assertEquals(List.of(), users("poll-1"));
    assertEquals(List.of(), result(store.sweep(T0 + 1)), "nothing is reported twice");
  }

  @Test
  void refreshKeepsTheListedConnections() {
    join("poll-1", "node-a", "c1", ADA, T0);
    join("poll-2", "node-a", "c1", ADA, T0);
    join("poll-1", "node-b", "c2", BOB, T0);

    assertEquals(List.of(), result(store.refresh("node-a",
        List.of(entry("poll-1", "c1", ADA), entry("poll-2", "c1", ADA)), T0 + 60_000)));
    List<PresenceChange> leaves = result(store.sweep(T0 + 30_000));

    assertEquals(List.of(new PresenceChange("poll-1", PresenceAction.LEAVE, BOB)), leaves);
    assertEquals(List.of(ADA), users("poll-1"));
    assertEquals(List.of(ADA), users("poll-2"));
  }

  @Test
  void refreshTouchesOnlyTheNamedNodesConnections() {
    join("poll-1", "node-a", "c1", ADA, T0);
    join("poll-1", "node-b", "c1", BOB, T0);
    join("poll-1", "node-a", "c2", BOB, T0);

    result(store.refresh("node-z", List.of(), T0 + 60_000));
    result(store.refresh("node-a", List.of(entry("poll-1", "c1", ADA)), T0 + 60_000));

    assertEquals(List.of(new PresenceChange("poll-1", PresenceAction.LEAVE, BOB)), result(store.sweep(T0 + 30_000)),
        "node-b's c1 is another connection, and node-a's c2 was not listed");
    assertEquals(List.of(ADA), users("poll-1"));
  }

  @Test
  void refreshRestoresConnectionsTheStoreLostAndAnnouncesTheirUsersOnce() {
    join("poll-1", "node-a", "c1", ADA, T0);

    List<PresenceChange> joins = result(store.refresh("node-a", List.of(entry("poll-1", "c1", ADA),
        entry("poll-1", "c2", BOB), entry("poll-1", "c3", BOB), entry("poll-2", "c2", BOB)), T0 + 10));

    assertEquals(Set.of(new PresenceChange("poll-1", PresenceAction.JOIN, BOB),
        new PresenceChange("poll-2", PresenceAction.JOIN, BOB)), new HashSet<>(joins));
    assertEquals(2, joins.size(), "Bob's two restored tabs in poll-1 announce him once");
    assertEquals(Set.of(ADA, BOB), new HashSet<>(users("poll-1")));
    assertEquals(List.of(), result(store.refresh("node-a", List.of(entry("poll-1", "c2", BOB)), T0 + 20)));
    assertNull(leave("poll-1", "node-a", "c2"), "the restored c3 keeps Bob present");
    assertEquals(BOB, leave("poll-1", "node-a", "c3"));
  }

  @Test
  void refreshLeavesTheDisplayFieldsOfKnownConnections() {
    join("poll-1", "node-a", "c1", ADA, T0);

    result(store.refresh("node-a", List.of(entry("poll-1", "c1", new PresenceUser("ada", "Stale", null))), T0 + 1));

    assertEquals(List.of(ADA), users("poll-1"));
  }

  @Test
  void aSweepOfABigCrashedNodeReportsEveryUser() {
    List<PresenceHeartbeat.Entry> entries = new ArrayList<>();
    Set<PresenceChange> expected = new HashSet<>();
    for (int i = 0; i < 2_500; i++) {
      PresenceUser user = new PresenceUser("user-" + i, null, null);
      entries.add(entry("big", "c" + i, user));
      expected.add(new PresenceChange("big", PresenceAction.LEAVE, user));
    }
    for (int i = 0; i < 30; i++) {
      entries.add(entry("room-" + i, "c" + i, ADA));
      expected.add(new PresenceChange("room-" + i, PresenceAction.LEAVE, ADA));
    }
    assertEquals(entries.size(), result(store.refresh("node-a", entries, T0)).size());
    assertEquals(2_500, count("big"));

    List<PresenceChange> leaves = result(store.sweep(T0 + 1));

    assertEquals(expected.size(), leaves.size());
    assertEquals(expected, new HashSet<>(leaves));
    assertEquals(0, count("big"));
  }

  @Test
  void pagesWalkEveryUserOnceInUserIdOrder() {
    for (String id : List.of("erin", "ada", "dan", "bob", "cy")) {
      join("poll-1", "node-a", "c-" + id, new PresenceUser(id, null, null), T0);
      join("poll-1", "node-b", "c-" + id, new PresenceUser(id, null, null), T0);
    }

    assertEquals(List.of("ada", "bob"), ids(result(store.users("poll-1", null, 2))));
    assertEquals(List.of("cy", "dan"), ids(result(store.users("poll-1", "bob", 2))));
    assertEquals(List.of("erin"), ids(result(store.users("poll-1", "dan", 2))));
    assertEquals(List.of(), result(store.users("poll-1", "erin", 2)));
    assertEquals(List.of("cy", "dan", "erin"), ids(result(store.users("poll-1", "bz", 10))),
        "a cursor need not be a present user");
    assertEquals(List.of(), result(store.users("poll-1", null, 0)));
    assertEquals(5, count("poll-1"));
  }

  @Test
  void countsAnonymousEntriesByTypeAndNeverListsNorCountsThemAsUsers() {
    PresenceUser early = new PresenceUser("!early", null, null);
    PresenceUser display1 = PresenceUser.anonymous("display", "node-a", "d1");
    PresenceUser display2 = PresenceUser.anonymous("display", "node-b", "d1");
    PresenceUser watcher = PresenceUser.anonymous("anonymous", "node-a", "w1");
    join("poll-1", "node-a", "c1", ADA, T0);
    join("poll-1", "node-a", "c2", early, T0);
    assertTrue(join("poll-1", "node-a", "d1", display1, T0));
    assertTrue(join("poll-1", "node-b", "d1", display2, T0));
    assertTrue(join("poll-1", "node-a", "w1", watcher, T0));

    assertEquals(List.of(early, ADA), users("poll-1"));
    assertEquals(List.of(early), result(store.users("poll-1", null, 1)));
    assertEquals(2, count("poll-1"));
    assertEquals(List.of(Map.of("display", 2, "anonymous", 1), Map.of()),
        result(store.anonymousCounts(List.of("poll-1", "never-seen"))));

    assertEquals(display2, leave("poll-1", "node-b", "d1"));
    assertEquals(List.of(Map.of("display", 1, "anonymous", 1)), result(store.anonymousCounts(List.of("poll-1"))));

    result(store.refresh("node-a", List.of(entry("poll-1", "c1", ADA)), T0 + 10));
    List<PresenceChange> swept = result(store.sweep(T0 + 5));
    assertEquals(Set.of(new PresenceChange("poll-1", PresenceAction.LEAVE, display1),
        new PresenceChange("poll-1", PresenceAction.LEAVE, watcher),
        new PresenceChange("poll-1", PresenceAction.LEAVE, early)), new HashSet<>(swept));
    assertEquals(List.of(Map.of()), result(store.anonymousCounts(List.of("poll-1"))));
    assertEquals(List.of(1), result(store.counts(List.of("poll-1"))));

    List<PresenceChange> restored = result(store.refresh("node-a", List.of(entry("poll-1", "d1", display1)), T0 + 20));
    assertEquals(List.of(new PresenceChange("poll-1", PresenceAction.JOIN, display1)), restored);
    assertEquals(List.of(Map.of("display", 1)), result(store.anonymousCounts(List.of("poll-1"))));
  }

  @Test
  void aUserWhoLeftCanJoinAgain() {
    join("poll-1", "node-a", "c1", ADA, T0);
    leave("poll-1", "node-a", "c1");

    assertTrue(join("poll-1", "node-a", "c2", ADA, T0));
    assertEquals(List.of(ADA), users("poll-1"));
  }

  private boolean join(String sessionId, String nodeId, String connectionId, PresenceUser user, long nowMs) {
    return result(store.join(sessionId, nodeId, connectionId, user, nowMs));
  }

  private PresenceUser leave(String sessionId, String nodeId, String connectionId) {
    return result(store.leave(sessionId, nodeId, connectionId));
  }

  /** Every user of a session, walked in pages of two (so that paging is exercised everywhere). */
  private List<PresenceUser> users(String sessionId) {
    List<PresenceUser> all = new ArrayList<>();
    List<PresenceUser> page = result(store.users(sessionId, null, 2));
    while (!page.isEmpty()) {
      all.addAll(page);
      page = result(store.users(sessionId, page.get(page.size() - 1).userId(), 2));
    }
    return all;
  }

  private static List<String> ids(List<PresenceUser> users) {
    return users.stream().map(PresenceUser::userId).toList();
  }

  private static PresenceHeartbeat.Entry entry(String sessionId, String connectionId, PresenceUser user) {
    return new PresenceHeartbeat.Entry(sessionId, connectionId, user);
  }

  private int count(String sessionId) {
    return result(store.count(sessionId));
  }
}
