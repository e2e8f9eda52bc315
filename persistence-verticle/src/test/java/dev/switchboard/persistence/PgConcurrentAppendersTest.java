package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.protocol.TestPostgres;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two persistence nodes (each its own Vert.x, pool and group committer, as two processes would have) appending to
 * the same sessions of one database at the same time.
 */
class PgConcurrentAppendersTest {

  private static final List<String> SESSIONS = List.of("poll-1", "poll-2", "chat-1", "doc-1");
  private static final int APPENDS_PER_NODE = 3000;
  /** Small batches, so each node commits many of them while the other does too. */
  private static final int MAX_BATCH = 50;
  /** Every fifth append carries a key, which both nodes send for the same session. */
  private static final int KEY_EVERY = 5;

  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() {
    nodes.forEach(Node::stop);
  }

  @Test
  void numbersSharedSessionsGaplesslyWithoutDuplicatesAndStoresEachKeyOnce() {
    String url = TestPostgres.freshDatabase();
    nodes.add(new Node(url));
    nodes.add(new Node(url));

    List<Future<List<AppendOutcome>>> appended = nodes.stream().map(Node::appendAll).toList();
    List<List<AppendOutcome>> outcomes = result(Future.all(appended)).list();

    Map<String, TreeMap<Long, Integer>> ownerBySeq = new HashMap<>();
    Map<String, StoredEvent> originalByKey = new HashMap<>();
    List<StoredEvent> duplicates = new ArrayList<>();
    for (int node = 0; node < nodes.size(); node++) {
      for (AppendOutcome outcome : outcomes.get(node)) {
        StoredEvent event = outcome.event();
        if (outcome.duplicate()) {
          duplicates.add(event);
          continue;
        }
        Integer earlier = ownerBySeq.computeIfAbsent(event.sessionId(), s -> new TreeMap<>()).put(event.seq(), node);
        assertNull(earlier, event.sessionId() + "/" + event.seq() + " was assigned twice");
        if (event.payload().contains("key")) {
          assertNull(originalByKey.put(event.sessionId() + "/" + event.payload(), event), "a key stored twice");
        }
      }
    }

    int keyed = APPENDS_PER_NODE / KEY_EVERY;
    assertEquals(keyed, originalByKey.size(), "each key stored once");
    assertEquals(keyed, duplicates.size(), "the other node's copy of each key answered as a duplicate");
    for (StoredEvent duplicate : duplicates) {
      assertEquals(originalByKey.get(duplicate.sessionId() + "/" + duplicate.payload()), duplicate);
    }
    Node reader = nodes.get(0);
    for (String session : SESSIONS) {
      TreeMap<Long, Integer> owners = ownerBySeq.get(session);
      assertEquals(LongStream.rangeClosed(1, owners.size()).boxed().toList(), List.copyOf(owners.keySet()),
          session + " is gapless");
      List<StoredEvent> stored = reader.replayAll(session);
      assertEquals(List.copyOf(owners.keySet()), stored.stream().map(StoredEvent::seq).toList());
      assertTrue(switches(owners) > 1, session + ": the nodes' appends interleaved, " + switches(owners) + " times");
      assertTimestampsFollowSequence(stored);
    }
    nodes.forEach(node -> assertTrue(node.committer.batches() > 1, "group commit made several batches"));
  }

  private static int switches(TreeMap<Long, Integer> owners) {
    int switches = 0;
    Integer previous = null;
    for (Integer owner : owners.values()) {
      if (previous != null && !previous.equals(owner)) {
        switches++;
      }
      previous = owner;
    }
    return switches;
  }

  private static void assertTimestampsFollowSequence(List<StoredEvent> events) {
    for (int i = 1; i < events.size(); i++) {
      assertFalse(events.get(i).timestamp() < events.get(i - 1).timestamp(),
          "event " + events.get(i).seq() + " is timestamped before its predecessor");
    }
  }

  /** One persistence node: its own Vert.x, store (and so pool) and group committer. */
  private static final class Node {

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final PgEventStore store;
    private final GroupCommitter<AppendRequest, AppendOutcome> committer;

    Node(String url) {
      store = new PgEventStore(vertx, PgConfig.of(url));
      committer = new GroupCommitter<>(store::append, MAX_BATCH);
      result(onContext(store::open));
    }

    /** Submits every append at once on the node's context; answers the outcomes in submission order. */
    Future<List<AppendOutcome>> appendAll() {
      return onContext(() -> {
        List<Future<AppendOutcome>> submitted = new ArrayList<>();
        for (int i = 0; i < APPENDS_PER_NODE; i++) {
          String session = SESSIONS.get(i % SESSIONS.size());
          submitted.add(committer.submit(i % KEY_EVERY == 0
              ? new AppendRequest(session, "vote", "{\"key\":" + i + "}", "u", "key-" + i)
              : new AppendRequest(session, "vote", "{\"n\":" + i + "}", "u", null)));
        }
        return Future.all(submitted).map(all -> all.<AppendOutcome>list());
      });
    }

    List<StoredEvent> replayAll(String session) {
      List<StoredEvent> events = new ArrayList<>();
      while (true) {
        long after = events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
        ReplayResult page = result(store.replay(new ReplayRequest(session, after, Long.MAX_VALUE, 1000)));
        if (page.events().isEmpty()) {
          return events;
        }
        events.addAll(page.events());
      }
    }

    void stop() {
      result(onContext(store::close));
      result(vertx.close());
    }

    private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
      Promise<T> promise = Promise.promise();
      context.runOnContext(v -> action.get().onComplete(promise));
      return promise.future();
    }
  }
}
