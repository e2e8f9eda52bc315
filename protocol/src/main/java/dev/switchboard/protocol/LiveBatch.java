package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Events just committed, published by persistence on one live shard address in commit order (sessions of that
 * shard only). Edges treat it as a hint: their hubs drop duplicates and repair gaps from the log.
 */
public record LiveBatch(List<StoredEvent> events) {

  public LiveBatch {
    events = List.copyOf(events);
  }

  public JsonObject toJson() {
    return new JsonObject().put("events", StoredEvents.toJson(events));
  }

  public static LiveBatch fromJson(JsonObject json) {
    return new LiveBatch(StoredEvents.fromJson(json.getJsonArray("events")));
  }
}
