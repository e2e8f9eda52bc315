package dev.switchboard.testsupport;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A session's stored events (published by {@link Publishers} or alike, each carrying its number {@code n}), checked
 * against what the publishers were told: numbered 1, 2, 3, ... without holes, each number stored once, and each
 * acknowledged number stored under the eventId its acknowledgement gave.
 */
public record StoredLog(List<JsonObject> events) {

  public int size() {
    return events.size();
  }

  /** Places whose eventId is not their place in the log: holes or disorder. */
  public long misnumbered() {
    long wrong = 0;
    for (int i = 0; i < events.size(); i++) {
      if (!events.get(i).getString("eventId").equals(Long.toString(i + 1))) {
        wrong++;
      }
    }
    return wrong;
  }

  /** Events whose number an earlier event already carries. */
  public long storedTwice() {
    Set<Integer> numbers = new HashSet<>();
    return events.stream().filter(event -> !numbers.add(number(event))).count();
  }

  /** The acknowledged numbers that are not stored under the eventId they were acknowledged with. */
  public List<Integer> acknowledgedMissing(Map<Integer, Long> acked) {
    List<Integer> missing = new ArrayList<>();
    acked.forEach((n, eventId) -> {
      if (eventId < 1 || eventId > events.size() || !n.equals(number(events.get((int) (eventId - 1))))) {
        missing.add(n);
      }
    });
    missing.sort(null);
    return missing;
  }

  private static Integer number(JsonObject event) {
    return event.getJsonObject("payload").getInteger("n");
  }
}
