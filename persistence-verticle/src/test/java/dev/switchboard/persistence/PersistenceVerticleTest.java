package dev.switchboard.persistence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.AppendResult;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.LiveBatch;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.protocol.TestPostgres;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static dev.switchboard.protocol.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class PersistenceVerticleTest {

  private static final long NO_BOUND = Long.MAX_VALUE;

  @TempDir
  Path dir;

  private Vertx vertx;
  private PersistenceVerticle verticle;
  private String deployment;
  private final List<StoredEvent> misrouted = Collections.synchronizedList(new ArrayList<>());

  @Test
  void groupCommitsConcurrentAppendsAndPublishesEachSessionLiveInOrder(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject());
    List<String> sessions = List.of("poll-1", "poll-2", "chat-1", "doc-1");
    int appends = 2000;
    CountDownLatch allLive = new CountDownLatch(appends);
    Map<String, List<StoredEvent>> live = listenLive(sessions, allLive);

    List<Future<Message<AppendResult>>> replies = new ArrayList<>();
    for (int i = 0; i < appends; i++) {
      replies.add(vertx.eventBus().request(Addresses.EVENTS_APPEND,
          new AppendRequest(sessions.get(i % sessions.size()), "vote", payload(i), "user-" + i, null)));
    }
    result(Future.all(replies));

    Map<String, TreeMap<Long, StoredEvent>> acked = new ConcurrentHashMap<>();
    for (int i = 0; i < appends; i++) {
      String session = sessions.get(i % sessions.size());
      AppendResult reply = replies.get(i).result().body();
      assertFalse(reply.duplicate());
      StoredEvent earlier = acked.computeIfAbsent(session, s -> new TreeMap<>()).put(reply.seq(),
          new StoredEvent(session, reply.seq(), "vote", reply.timestamp(), "user-" + i, payload(i)));
      assertNull(earlier, session + "/" + reply.seq() + " was acknowledged twice");
    }
    List<Long> oneToFiveHundred = LongStream.rangeClosed(1, appends / sessions.size()).boxed().toList();
    assertTrue(allLive.await(30, TimeUnit.SECONDS), "every acknowledged event is published live");
    for (String session : sessions) {
      assertEquals(oneToFiveHundred, List.copyOf(acked.get(session).keySet()), session + " is gapless");
      assertEquals(List.copyOf(acked.get(session).values()), live.get(session),
          session + " is published once per event, in sequence order, exactly as acknowledged");
    }
    assertEquals(List.of(), misrouted);
    assertEquals(appends, verticle.committer().submissions());
    assertTrue(verticle.committer().batches() < appends,
        "group commit: " + verticle.committer().batches() + " batches for " + appends + " appends");
  }

  @Test
  void answersARetriedIdempotencyKeyWithTheOriginalEventAndPublishesItOnce(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject());
    CountDownLatch twoLive = new CountDownLatch(2);
    Map<String, List<StoredEvent>> live = listenLive(List.of("chat-9"), twoLive);
    AppendRequest publish = new AppendRequest("chat-9", "message", "{\"text\":\"hi\"}", "ann", "req-1");

    AppendResult first = append(publish);
    AppendResult retry = append(publish);
    AppendResult next = append(new AppendRequest("chat-9", "message", "{\"text\":\"again\"}", "ann", null));

    assertEquals(new AppendResult(1, first.timestamp(), false), first);
    assertEquals(new AppendResult(1, first.timestamp(), true), retry);
    assertEquals(2, next.seq());
    // Live events follow commit order, so a published duplicate would have arrived before event 2.
    assertTrue(twoLive.await(30, TimeUnit.SECONDS));
    assertEquals(List.of(1L, 2L), live.get("chat-9").stream().map(StoredEvent::seq).toList());
  }

  @Test
  void replaysOverTheBus(Vertx vertx) {
    deploy(vertx, new JsonObject());
    for (int i = 1; i <= 5; i++) {
      append(new AppendRequest("doc-7", "edit", payload(i), "bo", null));
    }

    ReplayResult page = replay(new ReplayRequest("doc-7", 2, NO_BOUND, 2));

    assertEquals(List.of(3L, 4L), page.events().stream().map(StoredEvent::seq).toList());
    assertEquals(List.of(payload(3), payload(4)), page.events().stream().map(StoredEvent::payload).toList());
    assertEquals(5, page.head());
    assertNull(page.reset());
    assertEquals(new ReplayResult(List.of(), 5, null), replay(ReplayRequest.head("doc-7")));
    assertEquals(new ReplayResult(List.of(), 5, ResetReason.UNKNOWN_EVENT),
        replay(new ReplayRequest("doc-7", 9, NO_BOUND, 100)));
  }

  @Test
  void answersBadRequestsWithTheBadRequestCodeAndKeepsServing(Vertx vertx) {
    deploy(vertx, new JsonObject());
    List<AppendRequest> badAppends = List.of(
        new AppendRequest(null, "vote", "{}", "u", null),
        new AppendRequest("no spaces allowed", "vote", "{}", "u", null),
        new AppendRequest("x".repeat(129), "vote", "{}", "u", null),
        new AppendRequest("room", null, "{}", "u", null),
        new AppendRequest("room", "vote", null, "u", null),
        new AppendRequest("room", "vote", "{\"text\":\"a\\u0000b\"}", "u", null),
        new AppendRequest("room", "vo\0te", "{}", "u", null));
    List<ReplayRequest> badReplays = List.of(
        new ReplayRequest("no spaces allowed", 0, NO_BOUND, 10),
        new ReplayRequest("room", -1, NO_BOUND, 10),
        new ReplayRequest("room", 0, NO_BOUND, -1));

    for (AppendRequest bad : badAppends) {
      assertBadRequest(vertx.eventBus().request(Addresses.EVENTS_APPEND, bad));
    }
    for (ReplayRequest bad : badReplays) {
      assertBadRequest(vertx.eventBus().request(Addresses.EVENTS_REPLAY, bad));
    }

    assertEquals(0, replay(ReplayRequest.head("room")).head());
    assertEquals(1, append(new AppendRequest("room", "vote", "{}", "u", null)).seq());
  }

  @Test
  void finishesAppendsInFlightBeforeClosingTheStoreOnUndeploy(Vertx vertx) {
    deploy(vertx, new JsonObject());
    int appends = 300;
    List<Future<Message<AppendResult>>> replies = new ArrayList<>();
    for (int i = 0; i < appends; i++) {
      replies.add(vertx.eventBus().request(Addresses.EVENTS_APPEND,
          new AppendRequest("poll-" + i % 3, "vote", payload(i), "u", null)));
    }
    until(() -> verticle.committer().submissions() == appends);

    result(vertx.undeploy(deployment));

    result(Future.all(replies));
    EventStore reopened = new EmbeddedEventStore(vertx, dir.resolve("data"));
    result(reopened.open());
    long stored = 0;
    for (int i = 0; i < 3; i++) {
      stored += result(reopened.replay(ReplayRequest.head("poll-" + i))).head();
    }
    result(reopened.close());
    assertEquals(appends, stored);
  }

  @Test
  void deletesEventsOlderThanTheHistoryWindow(Vertx vertx) {
    deploy(vertx, new JsonObject().put("SB_HISTORY_TTL", "1s"));
    append(new AppendRequest("poll-3", "vote", "{}", "u", null));
    append(new AppendRequest("poll-3", "vote", "{}", "u", null));

    until(() -> replay(new ReplayRequest("poll-3", 1, NO_BOUND, 10)).reset() == ResetReason.HISTORY_EXPIRED);

    assertEquals(new ReplayResult(List.of(), 2, ResetReason.HISTORY_EXPIRED),
        replay(new ReplayRequest("poll-3", 1, NO_BOUND, 10)));
    assertEquals(new ReplayResult(List.of(), 2, null), replay(new ReplayRequest("poll-3", 0, NO_BOUND, 10)),
        "from 0 is whatever is retained: nothing, no reset");
    assertEquals(3, append(new AppendRequest("poll-3", "vote", "{}", "u", null)).seq());
  }

  @Test
  void keepsEventsInPostgresWhenSbPgUrlIsSet(Vertx vertx) throws SQLException {
    String url = TestPostgres.freshDatabase();
    deploy(vertx, new JsonObject().put("SB_PG_URL", url));

    append(new AppendRequest("poll-5", "vote", "{\"option\":\"b\"}", "ann", null));

    assertEquals(new ReplayResult(List.of(), 1, null), replay(ReplayRequest.head("poll-5")));
    try (Connection connection = PgEventStoreTest.jdbc(url); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT session_id, seq, payload->>'option' FROM events")) {
      assertTrue(rows.next());
      assertEquals(List.of("poll-5", "1", "b"), List.of(rows.getString(1), rows.getString(2), rows.getString(3)));
    }
    assertFalse(dir.resolve("data").toFile().exists(), "no embedded store was opened");
  }

  private void deploy(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    verticle = new PersistenceVerticle();
    config.put("SB_DATA_DIR", dir.resolve("data").toString());
    deployment = result(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)));
  }

  /** Records every live event on the shards of {@code sessions}, per session in arrival order. */
  private Map<String, List<StoredEvent>> listenLive(List<String> sessions, CountDownLatch arrivals) {
    Map<String, List<StoredEvent>> live = new ConcurrentHashMap<>();
    sessions.forEach(session -> live.put(session, Collections.synchronizedList(new ArrayList<>())));
    List<Future<Void>> registered = new ArrayList<>();
    for (int shard : sessions.stream().map(Addresses::shardOf).distinct().toList()) {
      MessageConsumer<LiveBatch> consumer = vertx.eventBus().consumer(Addresses.liveAddress(shard), message -> {
        for (StoredEvent event : message.body().events()) {
          if (Addresses.shardOf(event.sessionId()) != shard) {
            misrouted.add(event);
          }
          live.computeIfAbsent(event.sessionId(), other -> Collections.synchronizedList(new ArrayList<>())).add(event);
          arrivals.countDown();
        }
      });
      registered.add(consumer.completion());
    }
    result(Future.all(registered));
    return live;
  }

  private AppendResult append(AppendRequest request) {
    return result(vertx.eventBus().<AppendResult>request(Addresses.EVENTS_APPEND, request)).body();
  }

  private ReplayResult replay(ReplayRequest request) {
    return result(vertx.eventBus().<ReplayResult>request(Addresses.EVENTS_REPLAY, request)).body();
  }

  private static void assertBadRequest(Future<?> reply) {
    ReplyException failure = assertInstanceOf(ReplyException.class, failure(reply));
    assertEquals(ErrorCode.BAD_REQUEST.failureCode(), failure.failureCode());
    assertEquals(ErrorCode.BAD_REQUEST, ErrorCode.of(failure));
  }

  private static String payload(int i) {
    return "{\"i\":" + i + "}";
  }
}
