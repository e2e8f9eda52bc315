package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many anonymous subscribers are in a session by the actor type each declared, e.g.
 * {@code {"display":2,"anonymous":12}} (docs/PROTOCOL.md, Presence): the {@code anonymous} field of presence states
 * and diffs. Types with nobody are left out; the map is sorted by type.
 */
public final class AnonymousCounts {

  private AnonymousCounts() {
  }

  /** An unmodifiable, type-sorted copy without zero counts; empty for {@code null}. */
  public static Map<String, Integer> copy(Map<String, Integer> counts) {
    TreeMap<String, Integer> copy = new TreeMap<>();
    if (counts != null) {
      counts.forEach((type, count) -> {
        if (count != null && count > 0) {
          copy.put(type, count);
        }
      });
    }
    return Collections.unmodifiableMap(copy);
  }

  public static JsonObject toJson(Map<String, Integer> counts) {
    JsonObject json = new JsonObject();
    counts.forEach(json::put);
    return json;
  }

  /** The counts of {@code json}; empty for {@code null} (a body from a node that did not count them). */
  public static Map<String, Integer> fromJson(JsonObject json) {
    TreeMap<String, Integer> counts = new TreeMap<>();
    if (json != null) {
      json.forEach(entry -> counts.put(entry.getKey(), ((Number) entry.getValue()).intValue()));
    }
    return copy(counts);
  }
}
