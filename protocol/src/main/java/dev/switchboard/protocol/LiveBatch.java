package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Events just committed, published by persistence on one live shard address in commit order (sessions of that
 * shard only). Edges treat it as a hint: their hubs drop duplicates and repair gaps from the log.
 *
 * @param committedAtMicros when the batch committed ({@link MicrosClock}), or 0 when unknown; edges measure delivery
 *                          and fan-out latency from it
 */
public record LiveBatch(List<StoredEvent> events, long committedAtMicros) {

  public LiveBatch {
    events = List.copyOf(events);
  }

  /** A batch whose commit time is unknown. */
  public LiveBatch(List<StoredEvent> events) {
    this(events, 0);
  }

  public JsonObject toJson() {
    return new JsonObject().put("events", StoredEvents.toJson(events)).put("committedAtMicros", committedAtMicros);
  }

  public static LiveBatch fromJson(JsonObject json) {
    return new LiveBatch(StoredEvents.fromJson(json.getJsonArray("events")), json.getLong("committedAtMicros", 0L));
  }
}
