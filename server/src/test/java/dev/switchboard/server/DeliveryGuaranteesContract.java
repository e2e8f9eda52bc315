package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The five guarantees of docs/PROTOCOL.md (Guarantees), written once and run against every transport (each subclass
 * opens its own kind of subscriber); publishes go through REST so the scenarios are the same everywhere.
 */
abstract class DeliveryGuaranteesContract {

  protected TestNode node;
  protected String token;

  /** Opens a subscriber on {@code sessionId}, live when {@code fromEventId} is null, else resuming after it. */
  protected abstract TestSubscriber subscribe(String sessionId, Long fromEventId);

  @BeforeEach
  void startNode() {
    node = TestNode.start();
    token = TestTokens.user("alice", List.of("*"), List.of("*"));
  }

  @AfterEach
  void stopNode() {
    node.close();
  }

  @Test
  void deliversAnEventOnlyAfterItIsStored() {
    try (TestSubscriber subscriber = subscribe("persist", null)) {
      subscriber.awaitConnected();
      for (int i = 1; i <= 5; i++) {
        long acked = node.publish(token, "persist", new JsonObject().put("n", i));
        JsonObject event = subscriber.events(1).get(0);
        assertEquals(Long.toString(acked), event.getString("eventId"));
        JsonArray stored = node.get("/sessions/persist/events?after=" + (acked - 1) + "&limit=1", token)
            .bodyAsJsonObject().getJsonArray("events");
        assertEquals(event, stored.getJsonObject(0), "what was delivered is what is stored");
      }
    }
  }

  @Test
  void deliversEveryEventInEventIdOrderUnderConcurrentPublishers() throws Exception {
    int publishers = 4;
    int each = 40;
    try (TestSubscriber subscriber = subscribe("order", null)) {
      subscriber.awaitConnected();
      ExecutorService pool = Executors.newFixedThreadPool(publishers);
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        int publisher = p;
        done.add(pool.submit(() -> {
          for (int n = 0; n < each; n++) {
            node.publish(token, "order", new JsonObject().put("publisher", publisher).put("n", n));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      List<JsonObject> events = subscriber.events(publishers * each);
      Map<Integer, Integer> nextPerPublisher = new HashMap<>();
      for (int i = 0; i < events.size(); i++) {
        JsonObject event = events.get(i);
        assertEquals(Long.toString(i + 1), event.getString("eventId"), "gapless and in order");
        int publisher = event.getJsonObject("payload").getInteger("publisher");
        int n = event.getJsonObject("payload").getInteger("n");
        assertEquals(nextPerPublisher.getOrDefault(publisher, 0), n, "each publisher's events in its order");
        nextPerPublisher.put(publisher, n + 1);
      }
      assertNull(subscriber.poll(300), "nothing after the last event");
    }
  }

  @Test
  void resumesAfterADropWithEveryMissedEventOnceWhilePublishesContinue() throws Exception {
    int total = 150;
    AtomicLong acked = new AtomicLong();
    TestSubscriber first = subscribe("resume", null);
    first.awaitConnected();
    ExecutorService publisher = Executors.newSingleThreadExecutor();
    Future<?> publishing = publisher.submit(() -> {
      for (int n = 1; n <= total; n++) {
        acked.set(node.publish(token, "resume", new JsonObject().put("n", n)));
      }
    });
    List<JsonObject> before = first.events(40);
    long lastSeen = Long.parseLong(before.get(before.size() - 1).getString("eventId"));
    first.close();
    while (acked.get() < lastSeen + 20 && !publishing.isDone()) {
      Thread.sleep(5);
    }
    try (TestSubscriber resumed = subscribe("resume", lastSeen)) {
      publishing.get(60, TimeUnit.SECONDS);
      publisher.shutdown();
      List<JsonObject> after = resumed.events((int) (total - lastSeen));
      for (int i = 0; i < after.size(); i++) {
        assertEquals(Long.toString(lastSeen + 1 + i), after.get(i).getString("eventId"));
      }
      assertNull(resumed.poll(300), "no duplicate after the last event");
    }
  }

  @Test
  void aRepeatedIdempotencyKeyReturnsTheFirstEventIdAndIsDeliveredOnce() {
    try (TestSubscriber subscriber = subscribe("idem", null)) {
      subscriber.awaitConnected();
      JsonObject body = new JsonObject().put("eventType", "vote").put("payload", new JsonObject().put("option", "b"))
          .put("idempotencyKey", "vote-alice-1");
      HttpResponse<Buffer> first = node.post("/sessions/idem/events", token, body);
      HttpResponse<Buffer> retry = node.post("/sessions/idem/events", token, body);
      assertEquals(201, first.statusCode());
      assertEquals(200, retry.statusCode());
      assertEquals(first.bodyAsJsonObject(), retry.bodyAsJsonObject());
      long next = node.publish(token, "idem", new JsonObject());
      assertEquals(2, next);
      List<JsonObject> events = subscriber.events(2);
      assertEquals("1", events.get(0).getString("eventId"));
      assertEquals("2", events.get(1).getString("eventId"));
    }
  }

  @Test
  void replaysTheWholeRetainedHistoryFromZeroThenGoesLive() {
    for (int n = 1; n <= 7; n++) {
      node.publish(token, "history", new JsonObject().put("n", n));
    }
    try (TestSubscriber subscriber = subscribe("history", 0L)) {
      List<JsonObject> replayed = subscriber.events(7);
      assertEquals("7", replayed.get(6).getString("eventId"));
      if (subscriber.announcesReplayEnd()) {
        assertEquals("7", subscriber.next("replayed").getString("lastEventId"));
      }
      node.publish(token, "history", new JsonObject().put("n", 8));
      assertEquals("8", subscriber.events(1).get(0).getString("eventId"));
    }
  }

  @Test
  void answersResetForAPositionTheServerNeverStored() {
    node.publish(token, "reset", new JsonObject());
    try (TestSubscriber subscriber = subscribe("reset", 99L)) {
      JsonObject reset = subscriber.next("reset");
      assertEquals("unknown_event", reset.getString("reason"));
      assertEquals("1", reset.getString("lastEventId"));
      node.publish(token, "reset", new JsonObject());
      JsonObject live = subscriber.events(1).get(0);
      assertNotNull(live);
      assertEquals("2", live.getString("eventId"));
      assertTrue(subscriber.poll(200) == null);
    }
  }
}
