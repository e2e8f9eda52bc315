package dev.switchboard.server;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.AppendResult;
import dev.switchboard.protocol.Codecs;
import dev.switchboard.protocol.ReplayResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drain (docs/ARCHITECTURE.md, Drain; docs/PROTOCOL.md, Draining and restarts) on one node: {@code /ready}
 * turns 503, WebSockets close with 1012, SSE streams and long polls end, new work is refused, and the drain waits for
 * the appends in flight (up to its grace).
 */
class DrainTest {

  private static final String ALICE = TestTokens.user("alice", List.of("*"), List.of("*"));

  @Test
  void drainClosesEveryClientAndWaitsForAppendsInFlight() throws Exception {
    // Edge and auth only; the test plays persistence, holding appends unanswered until it lets them go.
    try (TestNode node = TestNode.start(Map.of("SB_ROLES", "edge,auth"))) {
      List<Message<AppendRequest>> held = new CopyOnWriteArrayList<>();
      MessageConsumer<Object> replay = node.vertx.eventBus().consumer(Addresses.EVENTS_REPLAY,
          message -> message.reply(new ReplayResult(List.of(), 0, null)));
      MessageConsumer<AppendRequest> append = node.vertx.eventBus().consumer(Addresses.EVENTS_APPEND, held::add);
      Future.all(replay.completion(), append.completion()).await(5, TimeUnit.SECONDS);
      assertEquals(200, node.get("/ready", null).statusCode());

      WsClient ws = node.connect("sessionId=drain", ALICE);
      ws.next("replayed");
      SseClient sse = SseClient.open(node, "/events?sessionId=drain&access_token=" + ALICE, Map.of());
      sse.next("replayed");
      var poll = node.http.get("/poll?sessionId=drain&fromEventId=0&timeoutMs=20000").bearerTokenAuthentication(ALICE)
          .send();
      var publish = node.http.post("/sessions/drain/events").bearerTokenAuthentication(ALICE)
          .sendJsonObject(new JsonObject().put("eventType", "t").put("payload", new JsonObject()));
      until(() -> held.size() == 1, "the append reached persistence");

      long started = System.nanoTime();
      Future<Void> drained = node.node.drain(Duration.ofSeconds(20));
      assertEquals((short) 1012, ws.awaitClose(), "WebSockets close with 1012 (service restart)");
      until(() -> sse.ended, "the SSE stream ends");
      HttpResponse<Buffer> pollAnswer = poll.await(5, TimeUnit.SECONDS);
      assertEquals(200, pollAnswer.statusCode(), "a waiting long poll is answered");

      HttpResponse<Buffer> ready = node.get("/ready", null);
      assertEquals(503, ready.statusCode());
      assertTrue(ready.bodyAsString().contains("draining"), ready.bodyAsString());
      assertEquals(503, node.post("/sessions/drain/events", ALICE, new JsonObject().put("eventType", "t"))
          .statusCode(), "new publishes go to another node");
      WsClient late = node.connect("sessionId=drain", ALICE);
      assertEquals((short) 1012, late.awaitClose(), "a new WebSocket is told to go elsewhere");
      assertTrue(!drained.isComplete(), "the drain waits for the append in flight");
      // Prometheus still scrapes a draining node, and sees why its connections ended.
      new MetricsExpectations()
          .expect(2, "switchboard_connections_closed_total", "transport", "websocket", "code", "1012")
          .expect(1, "switchboard_connections_closed_total", "transport", "sse", "code", "1012")
          .expect(1, "switchboard_connections_closed_total", "transport", "poll", "code", "1000")
          .awaitOn(node);

      held.get(0).reply(new AppendResult(1, System.currentTimeMillis(), false));
      assertEquals(201, publish.await(5, TimeUnit.SECONDS).statusCode(), "the append in flight finishes");
      drained.await(10, TimeUnit.SECONDS);
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10));
    }
  }

  @Test
  void stoppingANodeAnswersAWaitingLongPollLikeADrain() throws Exception {
    TestNode node = TestNode.start();
    var poll = node.http.get("/poll?sessionId=stop&fromEventId=0&timeoutMs=20000").bearerTokenAuthentication(ALICE)
        .send();
    until(() -> node.get("/sessions/stop/presence", ALICE).bodyAsJsonObject().getInteger("count") == 1,
        "the poll waits (its user is present)");
    try {
      node.node.stop().await(10, TimeUnit.SECONDS);
      assertEquals(200, poll.await(5, TimeUnit.SECONDS).statusCode(), "the poll is answered, not cut off");
    } finally {
      node.close();
    }
  }

  @Test
  void aDrainDoesNotWaitPastItsGraceForAnAppendThatNeverFinishes() throws Exception {
    try (TestNode node = TestNode.start(Map.of("SB_ROLES", "edge,auth"))) {
      Codecs.register(node.vertx);
      List<Message<AppendRequest>> held = new CopyOnWriteArrayList<>();
      node.vertx.eventBus().<AppendRequest>consumer(Addresses.EVENTS_APPEND, held::add).completion().await(5, TimeUnit.SECONDS);
      node.http.post("/sessions/stuck/events").bearerTokenAuthentication(ALICE)
          .sendJsonObject(new JsonObject().put("eventType", "t"));
      until(() -> held.size() == 1, "the append reached persistence");
      long started = System.nanoTime();
      node.node.drain(Duration.ofSeconds(2)).await(10, TimeUnit.SECONDS);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(tookMs < 5_000, "the drain ended after " + tookMs + " ms");
    }
  }

  static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 15_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }
}
