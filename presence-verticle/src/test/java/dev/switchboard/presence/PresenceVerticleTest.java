package dev.switchboard.presence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceDiff;
import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.PresenceState;
import dev.switchboard.protocol.PresenceUpdate;
import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.protocol.TcpProxy;
import dev.switchboard.protocol.TestRedis;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class PresenceVerticleTest {

  private static final PresenceUser ADA = new PresenceUser("ada", "Ada", "presenter");
  private static final PresenceUser BOB = new PresenceUser("bob", "Bob", "participant");
  private static final PresenceUser CY = new PresenceUser("cy", null, null);
  /** Joins a session of its own after a test's updates; its diff proves nothing else was announced. */
  private static final PresenceUser MARKER = new PresenceUser("marker", null, null);

  private final BlockingQueue<PresenceDiff> diffs = new LinkedBlockingQueue<>();
  /** Per session, the joins ({@code +userId}) and leaves ({@code -userId}) of the diffs read so far, in order. */
  private final Map<String, List<String>> announced = new HashMap<>();
  private int markers;

  private String redisPrefix;

  @AfterEach
  void dropRedisKeys(Vertx vertx) {
    if (redisPrefix != null) {
      TestRedisKeys.delete(vertx, redisPrefix);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void announcesJoinsAndLeavesOncePerUserNotPerConnection(String storeKind, Vertx vertx) {
    start(vertx, new PresenceVerticle(), config(storeKind));

    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", ADA);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c2", ADA);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-b", "c3", BOB);
    List<PresenceDiff> joins = allDiffs(vertx);
    send(vertx, PresenceAction.LEAVE, "poll-1", "node-a", "c1", ADA);
    send(vertx, PresenceAction.LEAVE, "poll-1", "node-a", "c2", ADA);
    send(vertx, PresenceAction.LEAVE, "poll-1", "node-a", "c2", ADA);
    List<PresenceDiff> leaves = allDiffs(vertx);

    assertEquals(List.of("+ada", "+bob", "-ada"), announced.get("poll-1"));
    assertEquals(2, joins.get(joins.size() - 1).count());
    assertEquals(List.of(PresenceDiff.listing("poll-1", 1, List.of(), List.of(ADA))), leaves);
    assertEquals(List.of(BOB), query(vertx, "poll-1").users());
  }

  @Test
  void aCrowdJoiningIsAnnouncedInAFewDiffsThatNameEveryoneWithTheCount(Vertx vertx) {
    start(vertx, new PresenceVerticle());
    Set<String> crowd = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      PresenceUser user = new PresenceUser("user-" + i, null, null);
      crowd.add(user.userId());
      send(vertx, PresenceAction.JOIN, "crowd", "node-a", "c" + i, user);
    }

    List<PresenceDiff> all = allDiffs(vertx);

    assertEquals(crowd, present("crowd"));
    assertEquals(300, all.get(all.size() - 1).count());
    assertTrue(all.size() <= 30, all.size() + " diffs for 300 joins");
  }

  @Test
  void aboveTheBroadcastMaxDiffsCarryCountsOnly(Vertx vertx) {
    start(vertx, new PresenceVerticle(), new JsonObject().put("SB_PRESENCE_BROADCAST_MAX", 2));
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", ADA);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c2", BOB);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c3", CY);
    List<PresenceDiff> joins = allDiffs(vertx);
    send(vertx, PresenceAction.LEAVE, "poll-1", "node-a", "c3", CY);

    PresenceDiff last = joins.get(joins.size() - 1);
    assertEquals(PresenceDiff.countsOnly("poll-1", 3, last.joined(), 0), last);
    assertEquals(3, joins.stream().mapToInt(PresenceDiff::joined).sum());
    assertEquals(List.of(PresenceDiff.listing("poll-1", 2, List.of(), List.of(CY))), allDiffs(vertx),
        "back at the max, users are named again");
  }

  @Test
  void changesTheStoreCannotCountGoOutInTheNextIntervalsDiff(Vertx vertx) {
    start(vertx, new PresenceVerticle(v -> new CountsFailOnceStore(new InMemoryPresenceStore())));

    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", ADA);

    assertEquals(PresenceDiff.listing("poll-1", 1, List.of(ADA), List.of()), next());
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

    List<PresenceDiff> all = allDiffs(vertx);
    assertEquals(Set.of("bob"), present("poll-1"), "no ghost of Ada: " + all);
    assertEquals(1, all.get(all.size() - 1).count());
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

    assertEquals(List.of(PresenceDiff.listing("poll-1", 1, List.of(ADA), List.of())), allDiffs(vertx));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void aNodeWhoseHeartbeatsStopHasItsUsersAnnouncedAsLeavingWhileRefreshedUsersStay(String storeKind, Vertx vertx) {
    start(vertx, new PresenceVerticle(), config(storeKind).put("SB_PRESENCE_TTL", "2s"));
    send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", ADA);
    send(vertx, PresenceAction.JOIN, "poll-1", "node-dead", "c1", BOB);
    send(vertx, PresenceAction.JOIN, "poll-2", "node-dead", "c1", BOB);
    send(vertx, PresenceAction.JOIN, "poll-2", "node-a", "c2", BOB);
    PresenceHeartbeat alive = new PresenceHeartbeat("node-a", List.of(
        new PresenceHeartbeat.Entry("poll-1", "c1", ADA), new PresenceHeartbeat.Entry("poll-2", "c2", BOB)));
    long heartbeats = vertx.setPeriodic(200, t -> vertx.eventBus().send(Addresses.PRESENCE_UPDATE, alive));
    try {
      // Only the dead node's connection was Bob's last in poll-1; in poll-2 node-a's keeps him.
      assertEquals(List.of("+ada", "+bob", "-bob"), awaitAnnounced("poll-1", 3), "Ada's node kept her past the TTL");
      assertEquals(List.of("+bob"), announced.get("poll-2"));
      assertEquals(List.of(ADA), query(vertx, "poll-1").users());
      assertEquals(List.of(BOB), query(vertx, "poll-2").users());
    } finally {
      vertx.cancelTimer(heartbeats);
    }
    assertEquals(List.of("+ada", "+bob", "-bob", "-ada"), awaitAnnounced("poll-1", 4),
        "once node-a stops, its users leave");
    assertEquals(List.of("+bob", "-bob"), awaitAnnounced("poll-2", 2));
  }

  @Test
  void heartbeatsBringBackUsersAStoreOutageLostAndTheOutageNeverStopsTheVerticle(Vertx vertx) {
    URI redis = URI.create(TestRedis.url());
    TcpProxy proxy = TcpProxy.start(vertx, redis.getHost(), redis.getPort());
    try {
      JsonObject config = config("redis").put("SB_REDIS_URL", "redis://127.0.0.1:" + proxy.port());
      start(vertx, new PresenceVerticle(), config);
      send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", ADA);
      assertEquals(List.of("+ada"), awaitAnnounced("poll-1", 1));

      proxy.cut();
      send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c2", BOB);
      ReplyException down = assertInstanceOf(ReplyException.class,
          failure(vertx.eventBus().request(Addresses.PRESENCE_QUERY, new PresenceQuery("poll-1"))));
      assertEquals(ErrorCode.UNAVAILABLE.failureCode(), down.failureCode());

      proxy.restore();
      vertx.eventBus().send(Addresses.PRESENCE_UPDATE, new PresenceHeartbeat("node-a", List.of(
          new PresenceHeartbeat.Entry("poll-1", "c1", ADA), new PresenceHeartbeat.Entry("poll-1", "c2", BOB))));
      assertEquals(List.of(PresenceDiff.listing("poll-1", 2, List.of(BOB), List.of())), allDiffs(vertx),
          "Bob, whose join was lost, is announced once; Ada, who never left, is not");
      assertEquals(Set.of(ADA, BOB), new HashSet<>(query(vertx, "poll-1").users()));
    } finally {
      proxy.close();
    }
  }

  @Test
  void pagesABigSessionWithACountAndAnOpaqueCursor(Vertx vertx) {
    start(vertx, new PresenceVerticle());
    List<PresenceHeartbeat.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      entries.add(new PresenceHeartbeat.Entry("big", "c" + i, new PresenceUser(String.format("user-%02d", i), null,
          null)));
    }
    vertx.eventBus().send(Addresses.PRESENCE_UPDATE, new PresenceHeartbeat("node-a", entries));

    PresenceState first = query(vertx, new PresenceQuery("big", null, 10));
    PresenceState second = query(vertx, new PresenceQuery("big", first.nextCursor(), 10));
    PresenceState last = query(vertx, new PresenceQuery("big", second.nextCursor(), 10));

    assertEquals(25, first.count());
    assertEquals("user-00", first.users().get(0).userId());
    assertEquals("user-10", second.users().get(0).userId());
    assertEquals(5, last.users().size());
    assertNull(last.nextCursor());
    assertEquals(new PresenceState("big", List.of(), 25, null), query(vertx, new PresenceQuery("big", null, 0)));
    for (PresenceQuery bad : List.of(new PresenceQuery("big", "not base64!", 10), new PresenceQuery("big", null, -1),
        new PresenceQuery("big", null, PresenceQuery.MAX_LIMIT + 1))) {
      ReplyException refused = assertInstanceOf(ReplyException.class,
          failure(vertx.eventBus().request(Addresses.PRESENCE_QUERY, bad)));
      assertEquals(ErrorCode.BAD_REQUEST.failureCode(), refused.failureCode(), bad.toString());
    }
  }

  private void start(Vertx vertx, PresenceVerticle verticle) {
    start(vertx, verticle, new JsonObject());
  }

  private void start(Vertx vertx, PresenceVerticle verticle, JsonObject config) {
    result(vertx.eventBus().<PresenceDiff>consumer(Addresses.PRESENCE_CHANGES, m -> diffs.add(m.body()))
        .completion());
    result(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)));
  }

  /** The verticle config of a store: nothing for memory, the test Redis under a key prefix of this test's own. */
  private JsonObject config(String storeKind) {
    JsonObject config = new JsonObject().put("SB_PRESENCE_HEARTBEAT", "200ms");
    if ("redis".equals(storeKind)) {
      redisPrefix = "sb-test:" + UUID.randomUUID() + ":";
      config.put("SB_REDIS_URL", TestRedis.url()).put("SB_REDIS_PRESENCE_PREFIX", redisPrefix);
    }
    return config;
  }

  private static void send(Vertx vertx, PresenceAction action, String sessionId, String nodeId, String connectionId,
                           PresenceUser user) {
    vertx.eventBus().send(Addresses.PRESENCE_UPDATE, new PresenceUpdate(action, sessionId, nodeId, connectionId,
        user));
  }

  private static PresenceState query(Vertx vertx, String sessionId) {
    return query(vertx, new PresenceQuery(sessionId));
  }

  private static PresenceState query(Vertx vertx, PresenceQuery query) {
    return result(vertx.eventBus().<PresenceState>request(Addresses.PRESENCE_QUERY, query)).body();
  }

  /**
   * Every diff published for the updates sent so far: a marker user joins a session of their own last, and since
   * presence handles updates in order and publishes a diff for every change before any later one, everything before
   * the marker's diff is everything the test caused.
   */
  private List<PresenceDiff> allDiffs(Vertx vertx) {
    String markerSession = "marker-" + markers++;
    send(vertx, PresenceAction.JOIN, markerSession, "node-m", "m1", MARKER);
    List<PresenceDiff> seen = new ArrayList<>();
    while (true) {
      PresenceDiff diff = next();
      if (diff.sessionId().equals(markerSession)) {
        return seen;
      }
      seen.add(diff);
    }
  }

  /** Reads diffs until they have announced {@code changes} joins and leaves in {@code sessionId}; those. */
  private List<String> awaitAnnounced(String sessionId, int changes) {
    while (announced.getOrDefault(sessionId, List.of()).size() < changes) {
      next();
    }
    return announced.get(sessionId);
  }

  /** Who the diffs read so far leave present in a session. */
  private Set<String> present(String sessionId) {
    Set<String> present = new HashSet<>();
    for (String change : announced.getOrDefault(sessionId, List.of())) {
      if (change.startsWith("+")) {
        present.add(change.substring(1));
      } else {
        present.remove(change.substring(1));
      }
    }
    return present;
  }

  /** The next diff published; it is also added to {@link #announced}. */
  private PresenceDiff next() {
    try {
      PresenceDiff diff = diffs.poll(30, TimeUnit.SECONDS);
      assertNotNull(diff, "no presence diff within 30 s");
      List<String> changes = announced.computeIfAbsent(diff.sessionId(), id -> new ArrayList<>());
      if (diff.listsUsers()) {
        diff.leaves().forEach(user -> changes.add("-" + user.userId()));
        diff.joins().forEach(user -> changes.add("+" + user.userId()));
      }
      return diff;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
