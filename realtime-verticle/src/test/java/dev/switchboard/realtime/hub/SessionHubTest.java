package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import dev.switchboard.realtime.metrics.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub's ordering, gap repair and hand-over, driven step by step against a log whose answers the test releases. */
class SessionHubTest {

  private Vertx vertx;
  private FakeLog log;
  private SessionHub hub;
  private FlushBatch flushes;
  private boolean emptied;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    log = new FakeLog();
    flushes = new FlushBatch();
    hub = new SessionHub("s", log, vertx, 3, flushes, SubscriptionPresence.NONE, h -> emptied = true,
        new EdgeMetrics(meters));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void whenTheHeadCannotBeReadEverySubscriberIsFailedThoseStillJoiningToo() {
    log.unavailable = true;
    RecordingSubscriber waiting = new RecordingSubscriber("waiting");
    join(waiting, null);
    RecordingSubscriber joining = new RecordingSubscriber("joining");
    Subscription joined = hub.join(joining, null);
    hub.start();
    log.answerAll();
    assertEquals(List.of("failed"), waiting.signals);
    assertTrue(emptied, "the hub leaves the registry, so the next subscriber gets a hub that reads the head again");
    joined.start();
    assertEquals(List.of("failed"), joining.signals, "a subscription started after the failure is not left waiting");
  }

  @Test
  void aCrowdResumingFromOnePositionSharesItsStoreReadsAndEachGetsEveryEventOnce() {
    log.store(8);
    hub.start();
    log.answerAll();
    int headReads = log.reads;
    List<RecordingSubscriber> crowd = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      RecordingSubscriber subscriber = new RecordingSubscriber("c" + i);
      crowd.add(subscriber);
      join(subscriber, 2L);
    }
    log.answerAll();
    for (RecordingSubscriber subscriber : crowd) {
      assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L), subscriber.seqs, subscriber.id);
      assertEquals("replayed:8", subscriber.signals.get(subscriber.signals.size() - 1), subscriber.id);
    }
    assertEquals(2, log.reads - headReads, "two pages of 3, read once for all 50");
  }

  @Test
  void deliversLiveEventsInOrderAndDropsDuplicates() {
    log.store(2);
    RecordingSubscriber a = new RecordingSubscriber("a");
    join(a, null);
    hub.start();
    log.answerAll();
    assertEquals(List.of("placed", "replayed:2"), a.signals);
    live(3);
    live(3);
    live(2);
    live(4);
    assertEquals(List.of(3L, 4L), a.seqs);
  }

  @Test
  void holdsBackEventsAfterAGapUntilTheLogRepairsIt() {
    RecordingSubscriber a = startedWithLiveSubscriber();
    log.store(3);
    live(3);
    live(2);
    assertEquals(List.of(), a.seqs, "2 and 3 wait for 1");
    assertEquals(1, log.pending.size(), "one repair request");
    log.answerAll();
    assertEquals(List.of(1L, 2L, 3L), a.seqs);
    live(1);
    assertEquals(List.of(1L, 2L, 3L), a.seqs, "a late original is a duplicate");
    assertEquals(1, meters.get("switchboard.gap.repairs").counter().count(), "one repair, counted");
    assertEquals(3, meters.get("switchboard.deliveries").tag("transport", "websocket").counter().count());
  }

  @Test
  void replaysFromThePositionThenGoesLiveWithoutLossOrDuplicateWhileEventsKeepArriving() {
    log.store(5);
    RecordingSubscriber first = new RecordingSubscriber("first");
    join(first, null);
    hub.start();
    log.answerAll();

    RecordingSubscriber resumer = new RecordingSubscriber("resumer");
    join(resumer, 1L);
    // Events 6 and 7 are committed and arrive live while the resumer's first page is in flight.
    log.store(7);
    live(6);
    live(7);
    log.answerOne();   // page after 1 up to 5: 2,3,4 (page size 3)
    live(8);
    log.store(8);
    log.answerAll();   // the rest, up to the moving head
    live(9);
    log.store(9);
    assertEquals(LongStream.rangeClosed(2, 9).boxed().toList(), resumer.seqs);
    assertEquals("replayed:8", resumer.signals.get(1));
    assertEquals(LongStream.rangeClosed(6, 9).boxed().toList(), first.seqs);
  }

  @Test
  void resetsAPositionBeyondTheHeadAndContinuesLive() {
    log.store(2);
    RecordingSubscriber a = new RecordingSubscriber("a");
    join(a, 10L);
    hub.start();
    log.answerAll();
    assertEquals(List.of("placed", "reset:unknown_event:2"), a.signals);
    log.store(3);
    live(3);
    assertEquals(List.of(3L), a.seqs);
  }

  @Test
  void flushesEachSubscriberOnceForEventsDeliveredInOneRound() {
    RecordingSubscriber a = startedWithLiveSubscriber();
    a.flushes = 0;
    flushes.around(() -> {
      for (long seq = 1; seq <= 5; seq++) {
        live(seq);
        if (flushes.active()) {
          flushes.add(a);
        }
      }
    });
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), a.seqs);
    assertEquals(5, a.flushes, "the subscriber registered itself each time here; a real one registers once");
  }

  @Test
  void aRoundWithinARoundFlushesOnlyAtTheOutermostEnd() {
    RecordingSubscriber a = new RecordingSubscriber("a");
    flushes.around(() -> {
      flushes.around(() -> flushes.add(a));
      assertEquals(0, a.flushes, "not yet: the outer round is still open");
    });
    assertEquals(1, a.flushes);
  }

  @Test
  void closesWhenTheLastSubscriberLeaves() {
    RecordingSubscriber a = startedWithLiveSubscriber();
    Subscription second = join(new RecordingSubscriber("b"), null);
    second.cancel();
    assertTrue(!emptied);
    a.subscription.cancel();
    assertTrue(emptied);
  }

  @Test
  void relaysSignalsToEveryoneButTheSender() {
    RecordingSubscriber a = startedWithLiveSubscriber();
    RecordingSubscriber b = new RecordingSubscriber("b");
    join(b, null);
    hub.broadcast(Buffer.buffer("{}"), null, "a");
    assertEquals(0, a.frames);
    assertEquals(1, b.frames);
  }

  @Test
  void aHeadCheckRepairsATailWhoseLastEventsWereLost() {
    RecordingSubscriber a = startedWithLiveSubscriber();
    log.store(3);
    live(1);
    // 2 and 3 were stored, but their live messages never came, and no later event reveals the gap.
    HeadChecks checks = new HeadChecks(2_000, 10_000, 30_000);
    long now = System.currentTimeMillis();
    assertTrue(!hub.headCheckDue(now, checks, false), "not while the session is busy");
    assertTrue(hub.headCheckDue(now + 10_000, checks, false), "once quiet after activity");
    hub.checkHead(now + 10_000);
    assertTrue(!hub.headCheckDue(now + 10_000, checks, true), "one check at a time");
    log.answerAll();
    assertEquals(List.of(1L, 2L, 3L), a.seqs, "the tail is repaired from the log");
    live(3);
    live(4);
    assertEquals(List.of(1L, 2L, 3L, 4L), a.seqs, "a late original is dropped; the next event follows the repair");
  }

  @Test
  void aHeadCheckIsDueWhenForcedOrAfterTheIdleInterval() {
    startedWithLiveSubscriber();
    HeadChecks checks = new HeadChecks(2_000, 10_000, 30_000);
    long now = System.currentTimeMillis();
    assertTrue(!hub.headCheckDue(now + 1_000, checks, false));
    assertTrue(hub.headCheckDue(now + 1_000, checks, true), "a membership change forces a check");
    assertTrue(hub.headCheckDue(now + 31_000, checks, false), "an idle hub is checked now and then");
    hub.checkHead(now + 31_000);
    log.answerAll();
    assertTrue(!hub.headCheckDue(now + 32_000, checks, false), "nothing changed: no check until the next interval");
  }

  private RecordingSubscriber startedWithLiveSubscriber() {
    RecordingSubscriber a = new RecordingSubscriber("a");
    a.subscription = join(a, null);
    hub.start();
    log.answerAll();
    return a;
  }

  private void live(long seq) {
    EncodedEvent encoded = EncodedEvent.of(event(seq));
    hub.onLive(event(seq), encoded);
    encoded.release();
  }

  private static StoredEvent event(long seq) {
    return new StoredEvent("s", seq, "t", 1000 + seq, "u", "{\"n\":" + seq + "}");
  }

  /** A log of events 1..head whose replay answers wait until the test releases them. */
  private static final class FakeLog implements EventLog {
    long head;
    boolean unavailable;
    int reads;
    final ArrayDeque<Runnable> pending = new ArrayDeque<>();

    void store(long newHead) {
      head = newHead;
    }

    @Override
    public Future<ReplayResult> replay(ReplayRequest request) {
      reads++;
      Promise<ReplayResult> promise = Promise.promise();
      pending.add(() -> {
        if (unavailable) {
          promise.fail("the event log is unavailable");
        } else {
          promise.complete(answer(request));
        }
      });
      return promise.future();
    }

    private ReplayResult answer(ReplayRequest request) {
      if (request.limit() == 0) {
        return new ReplayResult(List.of(), head, null);
      }
      if (request.after() > head) {
        return new ReplayResult(List.of(), head, ResetReason.UNKNOWN_EVENT);
      }
      List<StoredEvent> events = new ArrayList<>();
      for (long seq = request.after() + 1; seq <= Math.min(head, request.upTo()) && events.size() < request.limit();
           seq++) {
        events.add(event(seq));
      }
      return new ReplayResult(events, head, null);
    }

    void answerOne() {
      pending.poll().run();
    }

    void answerAll() {
      while (!pending.isEmpty()) {
        answerOne();
      }
    }
  }

  /** Records what the hub tells it. */
  private static final class RecordingSubscriber implements Subscriber {
    final String id;
    final List<Long> seqs = new ArrayList<>();
    final List<String> signals = new ArrayList<>();
    int frames;
    int flushes;
    Subscription subscription;

    RecordingSubscriber(String id) {
      this.id = id;
    }

    @Override
    public String connectionId() {
      return id;
    }

    @Override
    public Transport transport() {
      return Transport.WEBSOCKET;
    }

    @Override
    public void placed(Subscription subscription) {
      this.subscription = subscription;
      signals.add("placed");
    }

    @Override
    public void sendEvent(Subscription subscription, EncodedEvent event) {
      seqs.add(event.seq());
    }

    @Override
    public void replayed(Subscription subscription, long lastEventId) {
      signals.add("replayed:" + lastEventId);
    }

    @Override
    public void reset(Subscription subscription, ResetReason reason, long lastEventId) {
      signals.add("reset:" + reason.wire() + ":" + lastEventId);
    }

    @Override
    public void sendFrame(Buffer frame) {
      frames++;
    }

    @Override
    public void failed(Subscription subscription, Throwable cause) {
      signals.add("failed");
    }

    @Override
    public boolean isFinished() {
      return false;
    }

    @Override
    public void flush() {
      flushes++;
    }
  }

  /** Joins the hub and starts the subscription, as a connection does. */
  private Subscription join(Subscriber subscriber, Long fromEventId) {
    Subscription subscription = hub.join(subscriber, fromEventId);
    subscription.start();
    return subscription;
  }
}
