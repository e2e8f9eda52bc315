package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A page of stored events in sequence order, the session's head (its last sequence number, 0 when it has none),
 * and, when the requested position cannot be resumed, why ({@code events} is then empty).
 */
public record ReplayResult(List<StoredEvent> events, long head, ResetReason reset) {

  public ReplayResult {
    events = List.copyOf(events);
  }

  public JsonObject toJson() {
    return new JsonObject().put("events", StoredEvents.toJson(events)).put("head", head).put("reset", reset == null ? null : reset.wire());
  }

  public static ReplayResult fromJson(JsonObject json) {
    String reset = json.getString("reset");
    return new ReplayResult(StoredEvents.fromJson(json.getJsonArray("events")), json.getLong("head"),
        reset == null ? null : ResetReason.fromWire(reset));
  }
}
