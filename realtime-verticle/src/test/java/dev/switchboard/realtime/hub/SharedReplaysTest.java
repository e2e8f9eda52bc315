package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A crowd resuming one session shares its store reads; nothing it is answered differs from what the store says. */
class SharedReplaysTest {

  /** A store of events 1..head (the first {@code expired} gone), answering when told to. */
  private static final class Store implements EventLog {
    final List<ReplayRequest> asked = new ArrayList<>();
    final List<Promise<ReplayResult>> pending = new ArrayList<>();
    long head = 100;
    long expired = 0;

    @Override
    public Future<ReplayResult> replay(ReplayRequest request) {
      asked.add(request);
      Promise<ReplayResult> answer = Promise.promise();
      pending.add(answer);
      return answer.future();
    }

    void answerAll() {
      List<Promise<ReplayResult>> now = new ArrayList<>(pending);
      pending.clear();
      for (int i = 0; i < now.size(); i++) {
        ReplayRequest request = asked.get(asked.size() - now.size() + i);
        now.get(i).complete(answer(request));
      }
    }

    ReplayResult answer(ReplayRequest r) {
      if (r.after() > head) {
        return new ReplayResult(List.of(), head, ResetReason.UNKNOWN_EVENT);
      }
      if (r.after() < expired) {
        return new ReplayResult(List.of(), head, ResetReason.HISTORY_EXPIRED);
      }
      long last = Math.min(Math.min(head, r.upTo()), r.after() + r.limit());
      return new ReplayResult(LongStream.rangeClosed(r.after() + 1, last).mapToObj(SharedReplaysTest::event).toList(),
          head, null);
    }
  }

  private final Store store = new Store();
  private final AtomicLong clock = new AtomicLong(1_000);
  private final SharedReplays replays = new SharedReplays(store, clock::get);

  private static StoredEvent event(long seq) {
    return new StoredEvent("s", seq, "t", 1000 + seq, "u", "{\"n\":" + seq + "}");
  }

  private static ReplayRequest request(long after, long upTo) {
    return new ReplayRequest("s", after, upTo, 50);
  }

  private static List<Long> seqs(Future<ReplayResult> result) {
    return result.result().events().stream().map(StoredEvent::seq).toList();
  }

  @Test
  void aReadInFlightIsSharedByTheSameRead() {
    Future<ReplayResult> first = replays.read(request(40, 100));
    Future<ReplayResult> second = replays.read(request(40, 100));
    assertSame(first, second);
    assertEquals(1, store.asked.size());
    store.answerAll();
    assertEquals(LongStream.rangeClosed(41, 90).boxed().toList(), seqs(second));
  }

  @Test
  void aPositionInsideARecentPageIsAnsweredFromItWithTheEventsAfterIt() {
    Future<ReplayResult> first = replays.read(request(40, 100));
    store.answerAll();
    assertEquals(50, first.result().events().size());
    Future<ReplayResult> inside = replays.read(request(45, 101));
    assertEquals(1, store.asked.size(), "no store read");
    assertEquals(LongStream.rangeClosed(46, 90).boxed().toList(), seqs(inside));
    assertNull(inside.result().reset());
    Future<ReplayResult> capped = replays.read(request(45, 60));
    assertEquals(LongStream.rangeClosed(46, 60).boxed().toList(), seqs(capped), "never past the target");
    assertEquals(1, store.asked.size());
  }

  @Test
  void aPositionAtThePagesEndOrBeforeItsStartAsksTheStore() {
    replays.read(request(40, 100));
    store.answerAll();
    replays.read(request(90, 100));
    replays.read(request(39, 100));
    assertEquals(3, store.asked.size(), "the store alone says whether 90 is current and 39 still kept");
  }

  @Test
  void aPageWithAGapBeforeItIsNotUsedForAnEarlierPosition() {
    // A "from 0" read whose first events are gone: the page starts at 61, so 10 may not be answered from it.
    EventLog gappy = r -> {
      store.asked.add(r);
      return Future.succeededFuture(new ReplayResult(
          LongStream.rangeClosed(61, 100).mapToObj(SharedReplaysTest::event).toList(), 100, null));
    };
    SharedReplays fromZero = new SharedReplays(gappy, clock::get);
    fromZero.read(request(0, 100));
    fromZero.read(request(10, 100));
    assertEquals(2, store.asked.size());
  }

  @Test
  void theSameReadWithinTheTimeKeptIsAnsweredAsItWasThenAskedAgain() {
    Future<ReplayResult> atHead = replays.read(request(100, 100));
    store.answerAll();
    assertEquals(List.of(), seqs(atHead));
    assertSame(atHead.result(), replays.read(request(100, 100)).result(), "a quiet session's crowd at its head");
    assertEquals(1, store.asked.size());
    clock.addAndGet(SharedReplays.KEEP_MS + 1);
    replays.read(request(100, 100));
    assertEquals(2, store.asked.size(), "kept for seconds only: retention may have moved");
  }

  @Test
  void aResetIsReusedOnlyForTheSameRead() {
    store.expired = 30;
    Future<ReplayResult> expired = replays.read(request(20, 100));
    store.answerAll();
    assertEquals(ResetReason.HISTORY_EXPIRED, expired.result().reset());
    assertEquals(ResetReason.HISTORY_EXPIRED, replays.read(request(20, 100)).result().reset());
    replays.read(request(25, 100));
    assertEquals(2, store.asked.size());
  }

  @Test
  void aFailedReadIsNotKept() {
    Future<ReplayResult> failing = replays.read(request(40, 100));
    store.pending.remove(0).fail(new IllegalStateException("store down"));
    assertEquals("store down", failing.cause().getMessage());
    replays.read(request(40, 100));
    assertEquals(2, store.asked.size());
  }

  @Test
  void atMostFourPagesAreKept() {
    store.head = 1_000;
    for (long after = 0; after < 250; after += 50) {
      replays.read(request(after, 1_000));
      store.answerAll();
    }
    assertEquals(5, store.asked.size());
    replays.read(request(10, 1_000));
    assertEquals(6, store.asked.size(), "the oldest page was let go");
    replays.read(request(210, 1_000));
    assertEquals(6, store.asked.size(), "the newest is still kept");
  }
}
