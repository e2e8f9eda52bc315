package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** JSON array conversion for lists of {@link StoredEvent}, shared by the records that carry them. */
final class StoredEvents {

  private StoredEvents() {
  }

  static JsonArray toJson(List<StoredEvent> events) {
    JsonArray array = new JsonArray(new ArrayList<>(events.size()));
    events.forEach(e -> array.add(e.toJson()));
    return array;
  }

  static List<StoredEvent> fromJson(JsonArray array) {
    List<StoredEvent> events = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      events.add(StoredEvent.fromJson(array.getJsonObject(i)));
    }
    return events;
  }

  static List<String> strings(JsonArray array) {
    if (array == null) {
      return List.of();
    }
    List<String> strings = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object value = array.getValue(i);
      if (value instanceof String s) {
        strings.add(s);
      }
    }
    return List.copyOf(strings);
  }
}
