package dev.switchboard.presence;

import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceChange;
import dev.switchboard.protocol.PresenceUser;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashSet;
import java.util.List;
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
  void refreshKeepsANodesConnections() {
    join("poll-1", "node-a", "c1", ADA, T0);
    join("poll-2", "node-a", "c1", ADA, T0);
    join("poll-1", "node-b", "c2", BOB, T0);

    result(store.refresh("node-a", T0 + 60_000));
    List<PresenceChange> leaves = result(store.sweep(T0 + 30_000));

    assertEquals(List.of(new PresenceChange("poll-1", PresenceAction.LEAVE, BOB)), leaves);
    assertEquals(List.of(ADA), users("poll-1"));
    assertEquals(List.of(ADA), users("poll-2"));
  }

  @Test
  void refreshOfAnUnknownNodeChangesNothing() {
    join("poll-1", "node-a", "c1", ADA, T0);

    result(store.refresh("node-z", T0 + 60_000));

    assertEquals(List.of(new PresenceChange("poll-1", PresenceAction.LEAVE, ADA)),
        result(store.sweep(T0 + 30_000)));
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

  private List<PresenceUser> users(String sessionId) {
    return result(store.users(sessionId));
  }

  private int count(String sessionId) {
    return result(store.count(sessionId));
  }
}
