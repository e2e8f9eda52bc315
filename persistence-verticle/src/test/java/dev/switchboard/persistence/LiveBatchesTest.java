package dev.switchboard.persistence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.LiveBatch;
import dev.switchboard.protocol.StoredEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class LiveBatchesTest {

  @Test
  void groupsNewEventsByShardInCommitOrderAndLeavesDuplicatesOut() {
    String a = "room-a";
    String sameShardAsA = sessionOnShard(Addresses.shardOf(a), a);
    String b = IntStream.range(0, 1000).mapToObj(i -> "room-" + i)
        .filter(id -> Addresses.shardOf(id) != Addresses.shardOf(a)).findFirst().orElseThrow();
    AppendOutcome a1 = fresh(a, 1);
    AppendOutcome b1 = fresh(b, 1);
    AppendOutcome other1 = fresh(sameShardAsA, 1);
    AppendOutcome a1again = new AppendOutcome(a1.event(), true);
    AppendOutcome a2 = fresh(a, 2);

    Map<Integer, LiveBatch> batches = LiveBatches.byShard(List.of(a1, b1, other1, a1again, a2));

    assertEquals(List.of(Addresses.shardOf(a), Addresses.shardOf(b)), List.copyOf(batches.keySet()));
    assertEquals(new LiveBatch(List.of(a1.event(), other1.event(), a2.event())), batches.get(Addresses.shardOf(a)));
    assertEquals(new LiveBatch(List.of(b1.event())), batches.get(Addresses.shardOf(b)));
  }

  @Test
  void publishesNothingForABatchOfDuplicates() {
    AppendOutcome duplicate = new AppendOutcome(fresh("room-a", 1).event(), true);

    assertEquals(Map.of(), LiveBatches.byShard(List.of(duplicate)));
  }

  private static String sessionOnShard(int shard, String not) {
    String id = IntStream.range(0, 10_000).mapToObj(i -> "room-" + i)
        .filter(candidate -> Addresses.shardOf(candidate) == shard && !candidate.equals(not))
        .findFirst().orElseThrow();
    assertNotEquals(not, id);
    return id;
  }

  private static AppendOutcome fresh(String sessionId, long seq) {
    return new AppendOutcome(new StoredEvent(sessionId, seq, "note", 1000 + seq, "u", "{}"), false);
  }
}
