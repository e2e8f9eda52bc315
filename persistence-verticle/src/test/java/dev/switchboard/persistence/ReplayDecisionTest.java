package dev.switchboard.persistence;

import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.StoredEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class ReplayDecisionTest {

  private static final long NO_BOUND = Long.MAX_VALUE;

  /** Session "s" with head 10, events 4 to 10 retained (retention took 1 to 3). */
  private final FakeLog log = new FakeLog(10, 4);

  @Test
  void answersAHeadOnlyRequestWithTheHeadAloneWhateverThePosition() {
    assertEquals(new ReplayResult(List.of(), 10, null), answer(0, NO_BOUND, 0));
    assertEquals(new ReplayResult(List.of(), 10, null), answer(2, NO_BOUND, 0), "an expired position");
    assertEquals(new ReplayResult(List.of(), 10, null), answer(99, NO_BOUND, 0), "an unknown position");
    assertEquals(List.of("head", "head", "head"), log.reads, "nothing but the head, three times");
  }

  @Test
  void resetsAPositionBeyondTheHeadAsUnknownEvent() {
    assertEquals(new ReplayResult(List.of(), 10, ResetReason.UNKNOWN_EVENT), answer(11, NO_BOUND, 100));
    assertEquals(new ReplayResult(List.of(), 10, ResetReason.UNKNOWN_EVENT), answer(Long.MAX_VALUE, NO_BOUND, 100));
    assertEquals(List.of("head", "head"), log.reads);
  }

  @Test
  void resetsAPositionWhoseNextEventRetentionDeletedAsHistoryExpired() {
    assertEquals(new ReplayResult(List.of(), 10, ResetReason.HISTORY_EXPIRED), answer(2, NO_BOUND, 100));
    assertEquals(List.of("head", "nextRetained"), log.reads);
  }

  @Test
  void resumesFromThePositionJustBeforeTheOldestRetainedEvent() {
    assertEquals(seqs(4, 10), seqs(answer(3, NO_BOUND, 100)));
  }

  @Test
  void treatsPositionZeroAsTheWholeRetainedHistoryNeverExpired() {
    ReplayResult all = answer(0, NO_BOUND, 100);

    assertEquals(seqs(4, 10), seqs(all));
    assertNull(all.reset());
    assertEquals(List.of("head", "page"), log.reads, "position 0 never asks about retention");
  }

  @Test
  void answersThePositionAtTheHeadWithAnEmptyPageWithoutAskingAboutRetention() {
    assertEquals(new ReplayResult(List.of(), 10, null), answer(10, NO_BOUND, 100));
    assertEquals(List.of("head", "page"), log.reads);
  }

  @Test
  void readsNoPageWhenUpToIsNotPastThePosition() {
    assertEquals(new ReplayResult(List.of(), 10, null), answer(5, 5, 100));
    assertEquals(List.of("head", "nextRetained"), log.reads);
  }

  @Test
  void boundsThePageByUpToAndLimit() {
    assertEquals(seqs(5, 7), seqs(answer(4, 7, 100)));
    assertEquals(seqs(5, 6), seqs(answer(4, NO_BOUND, 2)));
  }

  @Test
  void capsThePageLimitAtTheMaximumPage() {
    assertEquals(EventStore.MAX_REPLAY_PAGE, ReplayDecision.pageLimit(new ReplayRequest("s", 0, NO_BOUND, 5000)));
    assertEquals(7, ReplayDecision.pageLimit(new ReplayRequest("s", 0, NO_BOUND, 7)));
  }

  @Test
  void refusesNegativePositionsAndLimitsOnly() {
    assertInstanceOf(IllegalArgumentException.class, ReplayDecision.refusal(new ReplayRequest("s", -1, NO_BOUND, 1)));
    assertInstanceOf(IllegalArgumentException.class, ReplayDecision.refusal(new ReplayRequest("s", 0, NO_BOUND, -1)));
    assertNull(ReplayDecision.refusal(new ReplayRequest("s", 0, 0, 0)));
  }

  @Test
  void answersASessionNeverSeenWithHeadZero() {
    FakeLog empty = new FakeLog(0, 1);

    assertEquals(new ReplayResult(List.of(), 0, null), answer(empty, 0, NO_BOUND, 100));
    assertEquals(new ReplayResult(List.of(), 0, ResetReason.UNKNOWN_EVENT), answer(empty, 1, NO_BOUND, 100));
  }

  private ReplayResult answer(long after, long upTo, int limit) {
    return answer(log, after, upTo, limit);
  }

  private static ReplayResult answer(FakeLog log, long after, long upTo, int limit) {
    ReplayRequest request = new ReplayRequest("s", after, upTo, limit);
    log.request = request;
    return ReplayDecision.answer(request, log);
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static List<Long> seqs(ReplayResult result) {
    return result.events().stream().map(StoredEvent::seq).toList();
  }

  /** A session whose events {@code oldestRetained..head} are stored; records which reads the decision made. */
  private static final class FakeLog implements ReplayDecision.Reads<RuntimeException> {

    private final long head;
    private final long oldestRetained;
    private final List<String> reads = new ArrayList<>();
    private ReplayRequest request;

    FakeLog(long head, long oldestRetained) {
      this.head = head;
      this.oldestRetained = oldestRetained;
    }

    @Override
    public long head() {
      reads.add("head");
      return head;
    }

    @Override
    public boolean nextRetained() {
      reads.add("nextRetained");
      long next = request.after() + 1;
      return next >= oldestRetained && next <= head;
    }

    @Override
    public List<StoredEvent> page() {
      reads.add("page");
      return LongStream.rangeClosed(Math.max(request.after() + 1, oldestRetained), Math.min(request.upTo(), head))
          .limit(ReplayDecision.pageLimit(request))
          .mapToObj(seq -> new StoredEvent("s", seq, "note", seq, "u", "{}"))
          .toList();
    }
  }
}
