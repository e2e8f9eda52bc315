package dev.switchboard.persistence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.LiveBatch;
import dev.switchboard.protocol.StoredEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a committed batch into one {@link LiveBatch} per live shard, keeping commit order within each.
 */
public final class LiveBatches {

  private LiveBatches() {
  }

  /**
   * The newly stored events of {@code outcomes} (duplicates left out: they were published when first stored),
   * grouped by {@link Addresses#shardOf}, shards in order of first appearance.
   */
  public static Map<Integer, LiveBatch> byShard(List<AppendOutcome> outcomes) {
    return byShard(outcomes, 0);
  }

  /** As {@link #byShard(List)}, each batch stamped with its commit time ({@link LiveBatch#committedAtMicros}). */
  public static Map<Integer, LiveBatch> byShard(List<AppendOutcome> outcomes, long committedAtMicros) {
    Map<Integer, List<StoredEvent>> events = new LinkedHashMap<>();
    for (AppendOutcome outcome : outcomes) {
      if (!outcome.duplicate()) {
        StoredEvent event = outcome.event();
        events.computeIfAbsent(Addresses.shardOf(event.sessionId()), shard -> new ArrayList<>()).add(event);
      }
    }
    Map<Integer, LiveBatch> batches = new LinkedHashMap<>();
    events.forEach((shard, list) -> batches.put(shard, new LiveBatch(list, committedAtMicros)));
    return batches;
  }
}
