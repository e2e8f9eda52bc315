package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.StoredEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promises every {@link EventStore} keeps, written once; each implementation's test subclasses it.
 */
@ExtendWith(VertxExtension.class)
public abstract class EventStoreContract {

  private static final long NO_BOUND = Long.MAX_VALUE;

  protected Vertx vertx;
  protected EventStore store;

  /** A fresh, unopened store over empty storage. */
  protected abstract EventStore newStore(Vertx vertx);

  /** A new, unopened store over the same storage as the last {@link #newStore}. */
  protected abstract EventStore reopenedStore(Vertx vertx);

  @BeforeEach
  void openStore(Vertx vertx) {
    this.vertx = vertx;
    store = newStore(vertx);
    result(store.open());
  }

  @AfterEach
  void closeStore() {
    result(store.close());
  }

  @Test
  void numbersEachSessionGaplesslyWithinOneBatch() {
    long before = System.currentTimeMillis();
    List<AppendOutcome> outcomes = append(event("a", 1), event("b", 2), event("a", 3), event("c", 4), event("a", 5),
        event("b", 6));
    long after = System.currentTimeMillis();

    assertEquals(List.of("a/1", "b/1", "a/2", "c/1", "a/3", "b/2"), positions(outcomes));
    assertTrue(outcomes.stream().noneMatch(AppendOutcome::duplicate));
    StoredEvent first = outcomes.get(0).event();
    assertEquals(new StoredEvent("a", 1, "note", first.timestamp(), "user-1", "{\"n\":1}"), first);
    assertTrue(first.timestamp() >= before && first.timestamp() <= after, "timestamp is the store's wall clock");
  }

  @Test
  void continuesEachSessionsNumberingAcrossBatches() {
    append(event("a", 1), event("b", 2));
    append(event("a", 3));
    List<AppendOutcome> third = append(event("b", 4), event("a", 5), event("d", 6));

    assertEquals(List.of("b/2", "a/3", "d/1"), positions(third));
    assertEquals(List.of("{\"n\":1}", "{\"n\":3}", "{\"n\":5}"), payloads(replay("a", 0, NO_BOUND, 100).events()));
  }

  @Test
  void answersARepeatedIdempotencyKeyWithTheOriginalEventAndStoresNothing() {
    StoredEvent original = append(keyed("a", "k1", 1)).get(0).event();
    append(event("a", 2));

    AppendOutcome retry = append(keyed("a", "k1", 99)).get(0);

    assertTrue(retry.duplicate());
    assertEquals(original, retry.event());
    ReplayResult all = replay("a", 0, NO_BOUND, 100);
    assertEquals(2, all.head());
    assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), payloads(all.events()));
  }

  @Test
  void keepsIdempotencyKeysPerSession() {
    append(keyed("a", "k1", 1));

    AppendOutcome other = append(keyed("b", "k1", 2)).get(0);

    assertFalse(other.duplicate());
    assertEquals("b/1", position(other));
  }

  @Test
  void scopesAnIdempotencyKeyToItsPublisherAndGivesPublishesWithoutAUserAScopeOfTheirOwn() {
    AppendOutcome ada = append(keyedBy("ada", "a", "k", 1)).get(0);
    List<AppendOutcome> others = append(keyedBy("bob", "a", "k", 2), keyedBy(null, "a", "k", 3),
        keyedBy(null, "a", "k", 4), keyedBy("ada", "a", "k", 5));

    assertEquals(List.of("a/2", "a/3", "a/3", "a/1"), positions(others), "bob's and the userless key are their own");
    assertEquals(List.of(false, false, true, true), others.stream().map(AppendOutcome::duplicate).toList());
    assertEquals(ada.event(), others.get(3).event());
    AppendOutcome userlessRetry = append(keyedBy(null, "a", "k", 6)).get(0);
    assertTrue(userlessRetry.duplicate(), "a retry without a user is stored once");
    assertEquals(3, userlessRetry.event().seq());
    assertEquals(3, head("a"));
  }

  @Test
  void answersAKeyRepeatedWithinOneBatchWithTheFirstEvent() {
    List<AppendOutcome> outcomes = append(keyed("a", "k", 1), keyed("a", "k", 2), event("a", 3), keyed("b", "k", 4));

    assertEquals(List.of("a/1", "a/1", "a/2", "b/1"), positions(outcomes));
    assertEquals(List.of(false, true, false, false), outcomes.stream().map(AppendOutcome::duplicate).toList());
    assertEquals(outcomes.get(0).event(), outcomes.get(1).event());
    assertEquals(List.of("{\"n\":1}", "{\"n\":3}"), payloads(replay("a", 0, NO_BOUND, 100).events()));
    assertEquals(2, head("a"));
  }

  @Test
  void replaysPagesBoundedByAfterUpToAndLimit() {
    append(LongStream.rangeClosed(1, 10).mapToObj(n -> event("a", n)).toArray(AppendRequest[]::new));

    ReplayResult firstPage = replay("a", 0, NO_BOUND, 3);
    assertEquals(List.of(1L, 2L, 3L), seqs(firstPage.events()));
    assertEquals(10, firstPage.head());
    assertNull(firstPage.reset());
    assertEquals(List.of(4L, 5L, 6L, 7L), seqs(replay("a", 3, 7, 100).events()));
    assertEquals(List.of(9L, 10L), seqs(replay("a", 8, NO_BOUND, 100).events()));
    ReplayResult atHead = replay("a", 10, NO_BOUND, 100);
    assertEquals(List.of(), atHead.events());
    assertEquals(10, atHead.head());
    assertNull(atHead.reset());
    assertEquals(List.of(), replay("a", 5, 5, 100).events());
  }

  @Test
  void capsAReplayPageAtTheMaximum() {
    append(LongStream.rangeClosed(1, EventStore.MAX_REPLAY_PAGE + 5).mapToObj(n -> event("a", n))
        .toArray(AppendRequest[]::new));

    ReplayResult page = replay("a", 0, NO_BOUND, 5000);

    assertEquals(EventStore.MAX_REPLAY_PAGE, page.events().size());
    assertEquals(EventStore.MAX_REPLAY_PAGE, page.events().get(EventStore.MAX_REPLAY_PAGE - 1).seq());
    assertEquals(EventStore.MAX_REPLAY_PAGE + 5, page.head());
  }

  @Test
  void answersAHeadOnlyRequestWithTheHeadAlone() {
    append(event("a", 1), event("a", 2), event("a", 3));

    assertEquals(new ReplayResult(List.of(), 3, null), result(store.replay(ReplayRequest.head("a"))));
    assertEquals(new ReplayResult(List.of(), 3, null), replay("a", 7, NO_BOUND, 0));
  }

  @Test
  void reportsHeadZeroForASessionNeverSeen() {
    assertEquals(new ReplayResult(List.of(), 0, null), replay("nobody", 0, NO_BOUND, 100));
    assertEquals(new ReplayResult(List.of(), 0, null), result(store.replay(ReplayRequest.head("nobody"))));
  }

  @Test
  void resetsAPositionBeyondTheHeadAsUnknownEvent() {
    append(event("a", 1), event("a", 2), event("a", 3));

    assertEquals(new ReplayResult(List.of(), 3, ResetReason.UNKNOWN_EVENT), replay("a", 5, NO_BOUND, 100));
    assertEquals(new ReplayResult(List.of(), 3, ResetReason.UNKNOWN_EVENT), replay("a", Long.MAX_VALUE, NO_BOUND, 100));
    assertEquals(new ReplayResult(List.of(), 0, ResetReason.UNKNOWN_EVENT), replay("nobody", 1, NO_BOUND, 100));
  }

  @Test
  void resetsExpiredHistoryAndKeepsNumberingAfterRetention() {
    List<AppendOutcome> old = append(event("a", 1), keyed("a", "k", 2), event("a", 3), event("b", 4), event("b", 5));
    long oldTime = old.get(0).event().timestamp();
    waitForClockPast(oldTime);
    append(event("a", 6));

    assertEquals(5, result(store.deleteOlderThan(oldTime + 1)));

    assertEquals(List.of(4L), seqs(replay("a", 0, NO_BOUND, 100).events()), "0 means whatever is retained");
    assertEquals(new ReplayResult(List.of(), 4, ResetReason.HISTORY_EXPIRED), replay("a", 2, NO_BOUND, 100));
    assertEquals(List.of(4L), seqs(replay("a", 3, NO_BOUND, 100).events()));
    assertEquals(new ReplayResult(List.of(), 2, ResetReason.HISTORY_EXPIRED), replay("b", 1, NO_BOUND, 100));
    assertEquals(new ReplayResult(List.of(), 2, null), replay("b", 2, NO_BOUND, 100));
    assertEquals(new ReplayResult(List.of(), 2, null), result(store.replay(ReplayRequest.head("b"))));

    // The key went with its deleted event, so reusing it stores a new event.
    List<AppendOutcome> later = append(event("b", 7), keyed("a", "k", 8));
    assertEquals(List.of("b/3", "a/5"), positions(later));
    assertTrue(later.stream().noneMatch(AppendOutcome::duplicate));
  }

  @Test
  void retentionKeepsTheNewestSnapshotAndEverythingAfterWhatItCovers() {
    // a: 1-3 notes, 4 an older snapshot, 5-6 notes, 7 the newest snapshot covering up to 5, 8 a note.
    List<AppendOutcome> stored = append(event("a", 1), event("a", 2), event("a", 3), snapshot("a", null),
        event("a", 5), event("a", 6), snapshot("a", "\"5\""), event("a", 8),
        // b: a snapshot without "after" covers everything before it; c: an "after" that is no eventId counts as none;
        // d: no snapshot at all.
        event("b", 1), event("b", 2), snapshot("b", null), event("b", 4),
        event("c", 1), snapshot("c", "\"x1\""), event("c", 3),
        event("d", 1), event("d", 2));
    long cutoff = stored.get(stored.size() - 1).event().timestamp() + 1;

    assertEquals(5 + 2 + 1 + 2, result(store.deleteOlderThan(cutoff)));

    assertEquals(List.of(6L, 7L, 8L), seqs(replay("a", 5, NO_BOUND, 100).events()));
    assertEquals(new ReplayResult(List.of(), 8, ResetReason.HISTORY_EXPIRED), replay("a", 4, NO_BOUND, 100));
    assertEquals(List.of(3L, 4L), seqs(replay("b", 0, NO_BOUND, 100).events()));
    assertEquals(List.of(2L, 3L), seqs(replay("c", 0, NO_BOUND, 100).events()));
    assertEquals(List.of(), replay("d", 0, NO_BOUND, 100).events());
    assertEquals(0, result(store.deleteOlderThan(cutoff)), "what a snapshot keeps stays kept");

    // A newer snapshot moves the floor: what the older one kept can go now.
    long newer = append(snapshot("a", "\"8\"")).get(0).event().timestamp();
    waitForClockPast(newer);
    assertEquals(3, result(store.deleteOlderThan(newer + 1)));
    assertEquals(List.of(9L), seqs(replay("a", 0, NO_BOUND, 100).events()));
  }

  @Test
  void aSnapshotKeepsAtMostItsSpanBeforeIt() {
    int span = (int) SnapshotRetention.MAX_SPAN;
    List<AppendRequest> batch = new java.util.ArrayList<>();
    for (int n = 1; n <= span + 5; n++) {
      batch.add(event("long", n));
    }
    batch.add(snapshot("long", "\"0\""));
    List<AppendOutcome> stored = result(store.append(batch));
    long cutoff = stored.get(stored.size() - 1).event().timestamp() + 1;

    assertEquals(5, result(store.deleteOlderThan(cutoff)));
    assertEquals(6L, replay("long", 0, NO_BOUND, 1).events().get(0).seq());
  }

  @Test
  void deletesEveryOldEventAndCountsThem() {
    // More than two chunks' worth for stores that delete in chunks of about a thousand.
    int count = 2400;
    List<AppendOutcome> stored = append(LongStream.rangeClosed(1, count).mapToObj(n -> event("s" + n % 3, n))
        .toArray(AppendRequest[]::new));
    long cutoff = stored.get(count - 1).event().timestamp() + 1;

    assertEquals(count, result(store.deleteOlderThan(cutoff)));
    assertEquals(0, result(store.deleteOlderThan(cutoff)));
    assertEquals(800, head("s1"));
    assertEquals(new ReplayResult(List.of(), 800, ResetReason.HISTORY_EXPIRED), replay("s1", 1, NO_BOUND, 100));
    assertEquals(new ReplayResult(List.of(), 800, null), replay("s1", 0, NO_BOUND, 100));
  }

  @Test
  void deletesOldEventsOfAPrefixOnly() {
    // Ids just beside the prefix's range on either side ("sys:canar", "sys:canary;") must be kept.
    List<AppendOutcome> stored = append(event("sys:canary:a", 1), event("sys:canary:b", 2), event("sys:canar", 3),
        event("sys:canary;", 4), event("poll", 5), event("sys:canary:a", 6));
    long cutoff = stored.get(stored.size() - 1).event().timestamp() + 1;

    assertEquals(3, result(store.deleteOlderThan("sys:canary:", cutoff)));
    assertEquals(List.of(), replay("sys:canary:a", 0, NO_BOUND, 100).events());
    assertEquals(2, head("sys:canary:a"), "heads stay");
    for (String kept : List.of("sys:canar", "sys:canary;", "poll")) {
      assertEquals(List.of(1L), seqs(replay(kept, 0, NO_BOUND, 100).events()), kept);
    }
  }

  @Test
  void theGlobalSweepPassesOverTheNamespacesWithAWindowOfTheirOwn() {
    // "doc:1" and "poll:1" are excepted; "docs:1", "doc" (no namespace) and "x:doc:1" are not.
    List<AppendOutcome> stored = append(event("doc:1", 1), event("poll:1", 2), event("docs:1", 3), event("doc", 4),
        event("x:doc:1", 5), event("doc:1", 6));
    long cutoff = stored.get(stored.size() - 1).event().timestamp() + 1;

    assertEquals(3, result(store.deleteOlderThan(cutoff, Set.of("doc", "poll"))));
    assertEquals(List.of(1L, 2L), seqs(replay("doc:1", 0, NO_BOUND, 100).events()));
    assertEquals(List.of(1L), seqs(replay("poll:1", 0, NO_BOUND, 100).events()));
    assertEquals(List.of(), replay("docs:1", 0, NO_BOUND, 100).events());
    assertEquals(List.of(), replay("doc", 0, NO_BOUND, 100).events());
  }

  @Test
  void aPrefixSweepKeepsWhatASnapshotCovers() {
    List<AppendOutcome> stored = append(event("doc:1", 1), event("doc:1", 2), snapshot("doc:1", "\"1\""),
        event("doc:1", 4));
    long cutoff = stored.get(stored.size() - 1).event().timestamp() + 1;

    assertEquals(1, result(store.deleteOlderThan("doc:", cutoff)));
    assertEquals(List.of(2L, 3L, 4L), seqs(replay("doc:1", 0, NO_BOUND, 100).events()));
  }

  @Test
  void keepsSequencesGaplessAndKeysUniqueUnderConcurrentAppends() throws Exception {
    int calls = 300;
    ExecutorService callers = Executors.newFixedThreadPool(4);
    List<CompletableFuture<List<AppendOutcome>>> pending = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        int call = i;
        CompletableFuture<List<AppendOutcome>> done = new CompletableFuture<>();
        pending.add(done);
        callers.execute(() -> store.append(List.of(
                event("s" + call % 3, call),
                keyed("s" + (call + 1) % 3, "key-" + call % 40, call),
                event("s" + (call + 2) % 3, call)))
            .onComplete(ar -> {
              if (ar.succeeded()) {
                done.complete(ar.result());
              } else {
                done.completeExceptionally(ar.cause());
              }
            }));
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      callers.shutdown();
    }

    Map<String, List<Long>> newSeqs = new HashMap<>();
    Map<String, StoredEvent> originals = new HashMap<>();
    List<AppendOutcome> duplicates = new ArrayList<>();
    for (CompletableFuture<List<AppendOutcome>> done : pending) {
      for (AppendOutcome outcome : done.get()) {
        if (outcome.duplicate()) {
          duplicates.add(outcome);
        } else {
          newSeqs.computeIfAbsent(outcome.event().sessionId(), s -> new ArrayList<>()).add(outcome.event().seq());
        }
      }
    }
    for (String session : List.of("s0", "s1", "s2")) {
      List<Long> seqs = newSeqs.get(session).stream().sorted().toList();
      assertEquals(LongStream.rangeClosed(1, seqs.size()).boxed().toList(), seqs, session + " is gapless");
      assertEquals(seqs.size(), head(session));
      List<StoredEvent> stored = replay(session, 0, NO_BOUND, 1000).events();
      assertEquals(seqs.size(), stored.size());
      stored.forEach(event -> originals.put(event.sessionId() + "/" + event.payload(), event));
    }
    // (session, key) pairs repeat every lcm(3, 40) = 120 calls: 120 keyed events are new, the rest duplicates.
    int distinctKeys = 120;
    assertEquals(calls * 2 + distinctKeys, newSeqs.values().stream().mapToInt(List::size).sum());
    assertEquals(calls - distinctKeys, duplicates.size());
    for (AppendOutcome duplicate : duplicates) {
      StoredEvent original = duplicate.event();
      assertEquals(original, originals.get(original.sessionId() + "/" + original.payload()));
    }
  }

  @Test
  void keepsEventsHeadsAndKeysAcrossCloseAndReopen() {
    List<AppendOutcome> before = append(event("a", 1), keyed("a", "k", 2), event("b", 3));
    result(store.close());

    store = reopenedStore(vertx);
    result(store.open());

    assertEquals(List.of(before.get(0).event(), before.get(1).event()), replay("a", 0, NO_BOUND, 100).events());
    AppendOutcome retry = append(keyed("a", "k", 4)).get(0);
    assertTrue(retry.duplicate());
    assertEquals(before.get(1).event(), retry.event());
    assertEquals(List.of("a/3", "b/2"), positions(append(event("a", 5), event("b", 6))));
  }

  @Test
  void completesFuturesOnTheCallingContext() throws Exception {
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<List<Boolean>> onCaller = new CompletableFuture<>();
    caller.runOnContext(v -> store.append(List.of(event("a", 1)))
        .compose(appended -> {
          boolean appendOnCaller = Vertx.currentContext() == caller;
          return store.replay(ReplayRequest.head("a"))
              .map(replayed -> List.of(appendOnCaller, Vertx.currentContext() == caller));
        })
        .compose(flags -> store.deleteOlderThan(0).map(deleted -> {
          List<Boolean> all = new ArrayList<>(flags);
          all.add(Vertx.currentContext() == caller);
          return all;
        }))
        .onComplete(ar -> onCaller.complete(ar.succeeded() ? ar.result() : List.of())));

    assertEquals(List.of(true, true, true), onCaller.get(30, TimeUnit.SECONDS));
  }

  @Test
  void refusesNegativePositionsAndLimits() {
    assertInstanceOf(IllegalArgumentException.class, failure(store.replay(new ReplayRequest("a", -1, NO_BOUND, 10))));
    assertInstanceOf(IllegalArgumentException.class, failure(store.replay(new ReplayRequest("a", 0, NO_BOUND, -1))));
  }

  @Test
  void failsEveryOperationAfterClose() {
    result(store.close());

    failure(store.append(List.of(event("a", 1))));
    failure(store.replay(ReplayRequest.head("a")));
    failure(store.deleteOlderThan(0));
    result(store.close());
  }

  private List<AppendOutcome> append(AppendRequest... batch) {
    List<AppendOutcome> outcomes = result(store.append(List.of(batch)));
    assertEquals(batch.length, outcomes.size());
    return outcomes;
  }

  private ReplayResult replay(String sessionId, long after, long upTo, int limit) {
    return result(store.replay(new ReplayRequest(sessionId, after, upTo, limit)));
  }

  private long head(String sessionId) {
    return result(store.replay(ReplayRequest.head(sessionId))).head();
  }

  /** Spins (no sleep-based assumption) until the wall clock has moved past {@code millis}. */
  private static void waitForClockPast(long millis) {
    while (System.currentTimeMillis() <= millis) {
      Thread.onSpinWait();
    }
  }

  static AppendRequest event(String sessionId, long n) {
    return new AppendRequest(sessionId, "note", "{\"n\":" + n + "}", "user-" + n, null);
  }

  /** A snapshot (SnapshotRetention) whose payload's {@code after} is the JSON {@code after}, or absent when null. */
  static AppendRequest snapshot(String sessionId, String after) {
    String payload = after == null ? "{\"state\":\"...\"}" : "{\"after\":" + after + ",\"state\":\"...\"}";
    return new AppendRequest(sessionId, SnapshotRetention.EVENT_TYPE, payload, "user-1", null);
  }

  /** A keyed publish by the key's own user, so that a repeat is a retry (a key belongs to its publisher). */
  static AppendRequest keyed(String sessionId, String key, long n) {
    return new AppendRequest(sessionId, "note", "{\"n\":" + n + "}", "user-of-" + key, key);
  }

  private static AppendRequest keyedBy(String userId, String sessionId, String key, long n) {
    return new AppendRequest(sessionId, "note", "{\"n\":" + n + "}", userId, key);
  }

  private static String position(AppendOutcome outcome) {
    return outcome.event().sessionId() + "/" + outcome.event().seq();
  }

  private static List<String> positions(List<AppendOutcome> outcomes) {
    return outcomes.stream().map(EventStoreContract::position).toList();
  }

  private static List<Long> seqs(List<StoredEvent> events) {
    return events.stream().map(StoredEvent::seq).toList();
  }

  private static List<String> payloads(List<StoredEvent> events) {
    return events.stream().map(StoredEvent::payload).toList();
  }
}
