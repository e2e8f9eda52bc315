package dev.switchboard.persistence;

import dev.switchboard.protocol.TcpProxy;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.AppendResult;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.protocol.TestPostgres;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static dev.switchboard.protocol.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PostgreSQL outage, played by a proxy between the persistence verticle and PostgreSQL: appends answer
 * {@code unavailable} while it lasts, nothing acknowledged is lost, and the store is back by itself afterwards.
 */
@ExtendWith(VertxExtension.class)
class PgOutageTest {

  private static final long NO_BOUND = Long.MAX_VALUE;
  private static final int SESSIONS = 4;

  private Vertx vertx;
  private TcpProxy proxy;
  private String proxiedUrl;

  @BeforeEach
  void startProxy(Vertx vertx) {
    this.vertx = vertx;
    String url = TestPostgres.freshDatabase();
    PgConnectOptions target = PgConnectOptions.fromUri(url);
    proxy = TcpProxy.start(vertx, target.getHost(), target.getPort());
    proxiedUrl = "postgresql://" + target.getUser() + "@127.0.0.1:" + proxy.port() + "/" + target.getDatabase();
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  @Test
  void answersUnavailableWhileConnectionsAreRefusedAndLosesNothingAcknowledged() {
    // Timeouts far beyond Await's deadline: every failure seen here comes from noticing the outage, not from a timer.
    deploy(Duration.ofMinutes(10), Duration.ofMinutes(10));
    PublishStream stream = new PublishStream();
    until(() -> stream.acknowledged() >= 100);

    proxy.cut();
    until(() -> stream.failed() >= 50);
    Throwable replayDuringCut = failure(vertx.eventBus().request(Addresses.EVENTS_REPLAY, ReplayRequest.head("s-0")));
    proxy.restore();
    int ackedAtRestore = stream.acknowledged();
    until(() -> stream.acknowledged() >= ackedAtRestore + 100);
    List<Future<Message<AppendResult>>> publishes = stream.stop();

    assertUnavailable(replayDuringCut);
    publishes.stream().filter(Future::failed).forEach(reply -> assertUnavailable(reply.cause()));
    assertNothingAcknowledgedLost(publishes);
  }

  @Test
  void answersUnavailableWhenPostgresStopsAnsweringAndRecoversWhenItAnswersAgain() {
    deploy(Duration.ofMillis(500), Duration.ofMillis(500));
    PublishStream stream = new PublishStream();
    until(() -> stream.acknowledged() >= 50);

    proxy.stall();
    until(() -> stream.failed() >= 20);
    proxy.restore();
    int ackedAtRestore = stream.acknowledged();
    until(() -> stream.acknowledged() >= ackedAtRestore + 50);
    List<Future<Message<AppendResult>>> publishes = stream.stop();

    publishes.stream().filter(Future::failed).forEach(reply -> assertUnavailable(reply.cause()));
    assertNothingAcknowledgedLost(publishes);
  }

  /**
   * Once PostgreSQL is reachable again: appends succeed without a restart; a client that retries its failed publishes
   * with their idempotency keys gets each stored exactly once; every session is gapless and holds every event
   * acknowledged before, during or after the outage, at its acknowledged position.
   */
  private void assertNothingAcknowledgedLost(List<Future<Message<AppendResult>>> publishes) {
    Map<Integer, AppendResult> answers = new HashMap<>();
    for (int i = 0; i < publishes.size(); i++) {
      if (publishes.get(i).succeeded()) {
        answers.put(i, publishes.get(i).result().body());
      }
    }
    assertTrue(answers.size() < publishes.size(), "the outage failed some appends");
    for (int i = 0; i < publishes.size(); i++) {
      if (!answers.containsKey(i)) {
        answers.put(i, appendOnceReachable(i));
      }
    }

    Map<String, Map<Long, String>> stored = new HashMap<>();
    for (int s = 0; s < SESSIONS; s++) {
      ReplayResult history = result(vertx.eventBus().<ReplayResult>request(Addresses.EVENTS_REPLAY,
          new ReplayRequest("s-" + s, 0, NO_BOUND, 1000))).body();
      assertEquals(LongStream.rangeClosed(1, history.head()).boxed().toList(),
          history.events().stream().map(StoredEvent::seq).toList(), "s-" + s + " is gapless");
      Map<Long, String> payloads = new HashMap<>();
      history.events().forEach(event -> payloads.put(event.seq(), event.payload()));
      stored.put("s-" + s, payloads);
    }
    for (int i = 0; i < publishes.size(); i++) {
      assertEquals(payload(i), stored.get(session(i)).get(answers.get(i).seq()), "publish " + i + " is stored where"
          + " its answer says");
    }
    assertEquals(publishes.size(), stored.values().stream().mapToInt(Map::size).sum(), "each publish stored once");
  }

  /** Publishes {@code i} again and again until PostgreSQL takes it, with a generous deadline. */
  private AppendResult appendOnceReachable(int i) {
    AtomicReference<AppendResult> stored = new AtomicReference<>();
    until(() -> {
      Future<Message<AppendResult>> reply = append(i);
      awaitSettled(List.of(reply));
      if (reply.failed()) {
        assertUnavailable(reply.cause());
        return false;
      }
      stored.set(reply.result().body());
      return true;
    });
    return stored.get();
  }

  private void deploy(Duration connectTimeout, Duration queryTimeout) {
    PgConfig config = new PgConfig(proxiedUrl, 4, connectTimeout, queryTimeout, null);
    result(vertx.deployVerticle(new PersistenceVerticle((v, settings) -> new PgEventStore(v, config))));
  }

  /** Publish {@code i}: its own idempotency key, so a retry of it is recognised. */
  private Future<Message<AppendResult>> append(int i) {
    return vertx.eventBus().request(Addresses.EVENTS_APPEND,
        new AppendRequest(session(i), "note", payload(i), "user", "publish-" + i));
  }

  /**
   * A client publishing without pause, {@link #WINDOW} publishes in flight, publish {@code i} on session
   * {@code i % SESSIONS}; it runs on its own context until stopped.
   */
  private final class PublishStream {

    private static final int WINDOW = 8;

    private final Context context = vertx.getOrCreateContext();
    private final List<Future<Message<AppendResult>>> replies = new ArrayList<>();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private int inFlight;
    private boolean stopped;
    private Promise<List<Future<Message<AppendResult>>>> settled;

    PublishStream() {
      context.runOnContext(v -> {
        for (int i = 0; i < WINDOW; i++) {
          next();
        }
      });
    }

    int acknowledged() {
      return acknowledged.get();
    }

    int failed() {
      return failed.get();
    }

    /** Stops publishing and answers every publish made, once each has its answer. */
    List<Future<Message<AppendResult>>> stop() {
      Promise<List<Future<Message<AppendResult>>>> done = Promise.promise();
      context.runOnContext(v -> {
        stopped = true;
        settled = done;
        settleIfIdle();
      });
      return result(done.future());
    }

    private void next() {
      if (stopped) {
        settleIfIdle();
        return;
      }
      Future<Message<AppendResult>> reply = append(replies.size());
      replies.add(reply);
      inFlight++;
      reply.onComplete(ar -> {
        inFlight--;
        if (ar.succeeded()) {
          acknowledged.incrementAndGet();
          next();
        } else {
          failed.incrementAndGet();
          // As a client would, back off a little rather than spin on a failing server.
          vertx.setTimer(10, id -> next());
        }
      });
    }

    private void settleIfIdle() {
      if (inFlight == 0 && settled != null) {
        settled.tryComplete(List.copyOf(replies));
      }
    }
  }

  private static String session(int i) {
    return "s-" + i % SESSIONS;
  }

  private static String payload(int i) {
    return "{\"i\":" + i + "}";
  }

  private static void assertUnavailable(Throwable failure) {
    ReplyException reply = assertInstanceOf(ReplyException.class, failure);
    assertEquals(ErrorCode.UNAVAILABLE, ErrorCode.of(reply));
    assertEquals(ErrorCode.UNAVAILABLE.failureCode(), reply.failureCode(), "answered by the store, not a bus timeout");
  }

  private static void awaitSettled(List<? extends Future<?>> futures) {
    result(Future.join(futures).otherwiseEmpty());
  }
}
