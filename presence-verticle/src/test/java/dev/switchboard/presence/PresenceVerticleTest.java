package dev.switchboard.presence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceChange;
import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.PresenceState;
import dev.switchboard.protocol.PresenceUpdate;
import dev.switchboard.protocol.PresenceUser;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

@ExtendWith(VertxExtension.class)
class PresenceVerticleTest {

  private static final PresenceUser ADA = new PresenceUser("ada", "Ada", "presenter");
  private static final PresenceUser BOB = new PresenceUser("bob", "Bob", "participant");
  /** Joins a session of its own after a test's updates; its announcement proves nothing else was announced. */
  private static final PresenceUser MARKER = new PresenceUser("marker", null, null);

  private final BlockingQueue<PresenceChange> changes = new LinkedBlockingQueue<>();

  @Test
  void announcesJoinsAndLeavesOncePerUserNotPerConnection(Vertx vertx) {
    start(vertx, new PresenceVerticle());

    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", ADA);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c2", ADA);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-b", "c3", BOB);
    send(vertx, PresenceAction.LEAVE, "poll-1", "node-a", "c1", ADA);
    send(vertx, PresenceAction.LEAVE, "poll-1", "node-a", "c2", ADA);
    send(vertx, PresenceAction.LEAVE, "poll-1", "node-a", "c2", ADA);

    assertEquals(List.of(
        new PresenceChange("poll-1", PresenceAction.JOIN, ADA),
        new PresenceChange("poll-1", PresenceAction.JOIN, BOB),
        new PresenceChange("poll-1", PresenceAction.LEAVE, ADA)), allChanges(vertx));
    assertEquals(List.of(BOB), query(vertx, "poll-1").users());
  }

  @Test
  void answersWhoIsInASession(Vertx vertx) {
    start(vertx, new PresenceVerticle());
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", ADA);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c2", ADA);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-b", "c3", BOB);
    send(vertx, PresenceAction.JOIN, "poll-2", "node-b", "c3", BOB);

    PresenceState state = query(vertx, "poll-1");

    assertEquals("poll-1", state.sessionId());
    assertEquals(Set.of(ADA, BOB), new HashSet<>(state.users()));
    assertEquals(2, state.users().size());
    assertEquals(new PresenceState("empty", List.of()), query(vertx, "empty"));
  }

  @Test
  void answersBadRequestForAnInvalidSessionId(Vertx vertx) {
    start(vertx, new PresenceVerticle());

    ReplyException refused = assertInstanceOf(ReplyException.class,
        failure(vertx.eventBus().request(Addresses.PRESENCE_QUERY, new PresenceQuery("no spaces"))));

    assertEquals(ErrorCode.BAD_REQUEST.failureCode(), refused.failureCode());
  }

  @Test
  void keepsAJoinAndAQuickLeaveInOrderWhenTheStoreIsSlow(Vertx vertx) {
    start(vertx, new PresenceVerticle(v -> new SlowPresenceStore(v, new InMemoryPresenceStore(), 100)));

    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", ADA);
    send(vertx, PresenceAction.LEAVE, "poll-1", "node-a", "c1", ADA);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c2", BOB);

    assertEquals(List.of(
        new PresenceChange("poll-1", PresenceAction.JOIN, ADA),
        new PresenceChange("poll-1", PresenceAction.LEAVE, ADA),
        new PresenceChange("poll-1", PresenceAction.JOIN, BOB)), allChanges(vertx));
    assertEquals(List.of(BOB), query(vertx, "poll-1").users());
  }

  @Test
  void answersAQueryAfterTheUpdatesSentBeforeIt(Vertx vertx) {
    start(vertx, new PresenceVerticle(v -> new SlowPresenceStore(v, new InMemoryPresenceStore(), 100)));

    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", ADA);

    assertEquals(List.of(ADA), query(vertx, "poll-1").users());
  }

  @Test
  void dropsMalformedUpdatesAndKeepsWorking(Vertx vertx) {
    start(vertx, new PresenceVerticle());

    send(vertx, PresenceAction.JOIN, "not a session id", "node-a", "c1", ADA);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", null, ADA);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", new PresenceUser(null, "Nobody", null));
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", ADA);

    assertEquals(List.of(new PresenceChange("poll-1", PresenceAction.JOIN, ADA)), allChanges(vertx));
  }

  private void start(Vertx vertx, PresenceVerticle verticle) {
    result(vertx.eventBus().<PresenceChange>consumer(Addresses.PRESENCE_CHANGES, m -> changes.add(m.body()))
        .completion());
    result(vertx.deployVerticle(verticle));
  }

  private static void send(Vertx vertx, PresenceAction action, String sessionId, String nodeId, String connectionId,
                           PresenceUser user) {
    vertx.eventBus().send(Addresses.PRESENCE_UPDATE, new PresenceUpdate(action, sessionId, nodeId, connectionId,
        user));
  }

  private static PresenceState query(Vertx vertx, String sessionId) {
    return result(vertx.eventBus().<PresenceState>request(Addresses.PRESENCE_QUERY, new PresenceQuery(sessionId)))
        .body();
  }

  /**
   * Every change announced for the updates sent so far: a marker user joins last, and since announcements arrive in
   * the order they were made, everything before the marker's join is everything the test caused.
   */
  private List<PresenceChange> allChanges(Vertx vertx) {
    send(vertx, PresenceAction.JOIN, "marker-session", "node-m", "m1", MARKER);
    List<PresenceChange> seen = new ArrayList<>();
    while (true) {
      PresenceChange change = next();
      if (change.user().equals(MARKER)) {
        return seen;
      }
      seen.add(change);
    }
  }

  private PresenceChange next() {
    try {
      PresenceChange change = changes.poll(30, TimeUnit.SECONDS);
      assertNotNull(change, "no presence change within 30 s");
      return change;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
