package dev.switchboard.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The delivery guarantees over long polling: a client loop that polls again with each answer's lastEventId. */
class LongPollGuaranteesTest extends DeliveryGuaranteesContract {

  @Override
  protected TestSubscriber subscribe(String sessionId, Long fromEventId) {
    return new Poller(sessionId, fromEventId);
  }

  @Test
  void aWaitingPollIsAnsweredByTheLiveEventNotByItsTimeout() {
    long head = node.publish(token, "lp-wake", new JsonObject());
    long start = System.currentTimeMillis();
    Thread publisher = new Thread(() -> {
      sleep(300);
      node.publish(token, "lp-wake", new JsonObject().put("n", 2));
    });
    publisher.start();
    JsonObject answer = node.get("/poll?sessionId=lp-wake&timeoutMs=20000&fromEventId=" + head, token)
        .bodyAsJsonObject();
    assertTrue(System.currentTimeMillis() - start < 15_000, "woken long before the 20 s timeout");
    assertEquals("2", answer.getString("lastEventId"));
    assertEquals(1, answer.getJsonArray("events").size());
  }

  @Test
  void aWaitingPollEndsWith401WhenItsTokenExpires() {
    String shortLived = TestTokens.hs256(TestTokens.SECRET,
        TestTokens.claims("brief", List.of("*"), List.of(), 2));
    long start = System.currentTimeMillis();
    var answer = node.get("/poll?sessionId=lp-expiry&fromEventId=0&timeoutMs=20000", shortLived);
    assertEquals(401, answer.statusCode(), answer.bodyAsString());
    assertEquals("token expired", answer.bodyAsJsonObject().getJsonObject("error").getString("message"));
    assertTrue(System.currentTimeMillis() - start < 15_000, "at the token's exp, long before the 20 s timeout");
  }

  @Test
  void aPollWithATokenThatNoLongerAllowsItsSessionIsRefusedWith403NamingIt() {
    String narrow = TestTokens.user("alice", List.of("lp-keep"), List.of("*"));
    assertEquals(200, node.get("/poll?sessionId=lp-lost&timeoutMs=0", token).statusCode());
    var refused = node.get("/poll?sessionId=lp-lost&fromEventId=0&timeoutMs=0", narrow);
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
    assertEquals("forbidden", error.getString("code"));
    assertEquals(new JsonArray().add("lp-lost"), error.getJsonArray("sessionIds"));
    assertEquals(200, node.get("/poll?sessionId=lp-keep&fromEventId=0&timeoutMs=0", narrow).statusCode());
  }

  @Test
  void aTimedOutPollAnswersNoEventsAndItsPosition() {
    JsonObject answer = node.get("/poll?sessionId=lp-quiet&fromEventId=0&timeoutMs=200", token).bodyAsJsonObject();
    assertEquals(new JsonObject().put("events", new JsonArray()).put("lastEventId", "0"), answer);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Polls in a loop on its own thread; a reset answer becomes a {@code reset} frame. */
  private final class Poller implements TestSubscriber {
    private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile boolean connected;

    Poller(String sessionId, Long fromEventId) {
      thread = new Thread(() -> {
        String position = fromEventId == null ? null : Long.toString(fromEventId);
        if (position == null) {
          position = node.get("/poll?sessionId=" + sessionId + "&timeoutMs=0", token).bodyAsJsonObject()
              .getString("lastEventId");
        }
        connected = true;
        while (!stopped) {
          JsonObject answer = node.get("/poll?sessionId=" + sessionId + "&timeoutMs=1000&fromEventId=" + position,
              token).bodyAsJsonObject();
          if (answer.containsKey("reset")) {
            JsonObject reset = answer.getJsonObject("reset");
            frames.add(reset.copy().put("type", "reset"));
            position = reset.getString("lastEventId");
            continue;
          }
          JsonArray events = answer.getJsonArray("events");
          for (int i = 0; i < events.size(); i++) {
            frames.add(events.getJsonObject(i));
          }
          position = answer.getString("lastEventId");
        }
      }, "long-poller");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public boolean announcesReplayEnd() {
      return false;
    }

    @Override
    public void awaitConnected() {
      long deadline = System.currentTimeMillis() + 10_000;
      while (!connected && System.currentTimeMillis() < deadline) {
        sleep(5);
      }
      assertTrue(connected);
    }

    @Override
    public List<JsonObject> events(int count) {
      List<JsonObject> events = new ArrayList<>();
      while (events.size() < count) {
        events.add(next("event"));
      }
      return events;
    }

    @Override
    public JsonObject next(String type) {
      return FrameSource.next(type, this::poll, "long poller, stopped: " + stopped);
    }

    @Override
    public JsonObject poll(long millis) {
      try {
        return frames.poll(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      stopped = true;
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
