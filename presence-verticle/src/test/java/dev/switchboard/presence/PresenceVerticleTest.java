package dev.switchboard.presence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceChange;
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
import java.util.HashSet;
import java.util.List;
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

@ExtendWith(VertxExtension.class)
class PresenceVerticleTest {

  private static final PresenceUser ADA = new PresenceUser("ada", "Ada", "presenter");
  private static final PresenceUser BOB = new PresenceUser("bob", "Bob", "participant");
  /** Joins a session of its own after a test's updates; its announcement proves nothing else was announced. */
  private static final PresenceUser MARKER = new PresenceUser("marker", null, null);

  private final BlockingQueue<PresenceChange> changes = new LinkedBlockingQueue<>();

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
    send(vertx, PresenceAction.LEAVE, "poll-1", "node-a", "c1", ADA);
    send(vertx, PresenceAction.LEAVE, "poll-1", "node-a", "c2", ADA);
    send(vertx, PresenceAction.LEAVE, "poll-1", "node-a", "c2", ADA);

    assertEquals(List.of(joined("poll-1", ADA), joined("poll-1", BOB), left("poll-1", ADA)), allChanges(vertx));
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

    assertEquals(List.of(joined("poll-1", ADA), left("poll-1", ADA), joined("poll-1", BOB)), allChanges(vertx));
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

    assertEquals(List.of(joined("poll-1", ADA)), allChanges(vertx));
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
      assertEquals(List.of(
          joined("poll-1", ADA),
          joined("poll-1", BOB),
          joined("poll-2", BOB)), List.of(next(), next(), next()));

      // Only the dead node's connection was Bob's last in poll-1; in poll-2 node-a's keeps him.
      assertEquals(left("poll-1", BOB), next());
      assertEquals(List.of(ADA), query(vertx, "poll-1").users(), "Ada's node kept her past the TTL");
      assertEquals(List.of(BOB), query(vertx, "poll-2").users());
    } finally {
      vertx.cancelTimer(heartbeats);
    }
    assertEquals(Set.of(left("poll-1", ADA), left("poll-2", BOB)), Set.of(next(), next()),
        "once node-a stops too, its users leave");
  }

  @Test
  void heartbeatsBringBackUsersAStoreOutageLostAndTheOutageNeverStopsTheVerticle(Vertx vertx) {
    URI redis = URI.create(TestRedis.url());
    TcpProxy proxy = TcpProxy.start(vertx, redis.getHost(), redis.getPort());
    try {
      JsonObject config = config("redis").put("SB_REDIS_URL", "redis://127.0.0.1:" + proxy.port());
      start(vertx, new PresenceVerticle(), config);
      send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c1", ADA);
      assertEquals(joined("poll-1", ADA), next());

      proxy.cut();
      send(vertx, PresenceAction.JOIN, "poll-1", "node-a", "c2", BOB);
      ReplyException down = assertInstanceOf(ReplyException.class,
          failure(vertx.eventBus().request(Addresses.PRESENCE_QUERY, new PresenceQuery("poll-1"))));
      assertEquals(ErrorCode.UNAVAILABLE.failureCode(), down.failureCode());

      proxy.restore();
      vertx.eventBus().send(Addresses.PRESENCE_UPDATE, new PresenceHeartbeat("node-a", List.of(
          new PresenceHeartbeat.Entry("poll-1", "c1", ADA), new PresenceHeartbeat.Entry("poll-1", "c2", BOB))));
      assertEquals(List.of(joined("poll-1", BOB)), allChanges(vertx),
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
    result(vertx.eventBus().<PresenceChange>consumer(Addresses.PRESENCE_CHANGES, m -> changes.add(m.body()))
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

  private static PresenceChange joined(String sessionId, PresenceUser user) {
    return new PresenceChange(sessionId, PresenceAction.JOIN, user);
  }

  private static PresenceChange left(String sessionId, PresenceUser user) {
    return new PresenceChange(sessionId, PresenceAction.LEAVE, user);
  }

  private static PresenceState query(Vertx vertx, String sessionId) {
    return query(vertx, new PresenceQuery(sessionId));
  }

  private static PresenceState query(Vertx vertx, PresenceQuery query) {
    return result(vertx.eventBus().<PresenceState>request(Addresses.PRESENCE_QUERY, query)).body();
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
