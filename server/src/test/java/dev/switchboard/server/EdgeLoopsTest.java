package dev.switchboard.server;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The threading rules of docs/ARCHITECTURE.md (Threading), end to end on an edge of two event loops: connections are
 * spread over the loops, and a session whose subscribers are on both keeps every guarantee (order, no loss, no
 * duplicate, the hand-over from replay to live) for events, presence and signals.
 */
class EdgeLoopsTest {

  private static final int SUBSCRIBERS = 6;
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("SB_EDGE_LOOPS", "2"));
  private static final String ALICE = TestTokens.user("alice", List.of("*"), List.of("*"));

  @Test
  void connectionsAreSpreadOverTheLoopsAndEachGetsEveryEventInOrderWhilePublishersRace() throws Exception {
    List<WsClient> subscribers = connect("loops-live");
    try {
      assertBothLoopsHoldSubscribers();
      List<Long> published = publishConcurrently("loops-live", 4, 25);
      assertEquals(100, published.size());
      List<Long> expected = LongStream.rangeClosed(1, 100).boxed().toList();
      for (WsClient subscriber : subscribers) {
        assertEquals(expected, eventIds(subscriber.events(100)), "every event once, in eventId order");
      }
    } finally {
      subscribers.forEach(WsClient::close);
    }
  }

  @Test
  void resumersOnEveryLoopGoFromReplayToLiveWithoutLossOrDuplicateWhileEventsKeepComing() throws Exception {
    int total = 300;
    ExecutorService publisher = Executors.newSingleThreadExecutor();
    List<WsClient> resumers = new ArrayList<>();
    try {
      // Live subscribers on both loops from the start; resumers join them while events are committed.
      resumers.addAll(connect("loops-resume"));
      Future<?> publishing = publisher.submit(() -> {
        for (int i = 0; i < total; i++) {
          node.publish(ALICE, "loops-resume", new JsonObject().put("n", i));
        }
      });
      // Resumers join while events are being committed: each replays from 0, then hands over to live.
      for (int i = 0; i < SUBSCRIBERS; i++) {
        Thread.sleep(20);
        resumers.add(node.connect("sessionId=loops-resume&fromEventId=0&access_token=" + ALICE));
      }
      publishing.get(60, TimeUnit.SECONDS);
      assertBothLoopsHoldSubscribers();
      List<Long> all = LongStream.rangeClosed(1, total).boxed().toList();
      for (WsClient subscriber : resumers) {
        assertEquals(all, eventIds(subscriber.events(total)), "live, or replay then live: every event once, in order");
      }
    } finally {
      publisher.shutdownNow();
      resumers.forEach(WsClient::close);
    }
  }

  @Test
  void signalsAndPresenceReachTheSessionsSubscribersOnEveryLoop() {
    List<WsClient> watchers = connect("loops-signal");
    String bob = TestTokens.user("bob", List.of("*"), List.of("*"));
    try (WsClient sender = node.connect("sessionId=loops-signal", bob)) {
      assertBothLoopsHoldSubscribers();
      sender.next("connected");
      for (WsClient watcher : watchers) {
        JsonObject diff;
        do {
          diff = watcher.next("presence.diff");
        } while (diff.getJsonArray("joins").stream().noneMatch(j -> "bob".equals(((JsonObject) j).getString("userId"))));
      }
      sender.send(new JsonObject().put("type", "signal").put("eventType", "cursor")
          .put("payload", new JsonObject().put("x", 7)));
      for (WsClient watcher : watchers) {
        JsonObject signal = watcher.next("signal");
        assertEquals("bob", signal.getString("userId"));
        assertEquals(7, signal.getJsonObject("payload").getInteger("x"));
      }
    } finally {
      watchers.forEach(WsClient::close);
    }
  }

  /** {@link #SUBSCRIBERS} live WebSockets of Alice on {@code sessionId}, each past its {@code replayed} frame. */
  private static List<WsClient> connect(String sessionId) {
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < SUBSCRIBERS; i++) {
      WsClient client = node.connect("sessionId=" + sessionId + "&access_token=" + ALICE);
      client.next("replayed");
      clients.add(client);
    }
    return clients;
  }

  private static void assertBothLoopsHoldSubscribers() {
    List<Integer> perLoop = node.node.edge().openWebSocketsPerLoop().await();
    assertEquals(2, perLoop.size());
    assertTrue(perLoop.get(0) > 0 && perLoop.get(1) > 0, "WebSockets on both loops: " + perLoop);
  }

  private static List<Long> publishConcurrently(String sessionId, int publishers, int each) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    try {
      List<Future<List<Long>>> done = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        done.add(pool.submit(() -> {
          List<Long> ids = new ArrayList<>();
          for (int n = 0; n < each; n++) {
            ids.add(node.publish(ALICE, sessionId, new JsonObject().put("n", n)));
          }
          return ids;
        }));
      }
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> f : done) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Long> eventIds(List<JsonObject> events) {
    return events.stream().map(e -> Long.parseLong(e.getString("eventId"))).toList();
  }
}
