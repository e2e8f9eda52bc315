package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The namespaces' {@code history} options, as the persistence role and the edge read them. */
class NamespaceHistoryTest {

  @Test
  void readsWindowsAndKeepsAndLeavesTheOtherNamespacesToTheGlobalWindow() {
    NamespaceHistory history = NamespaceHistory.from(new JsonObject().put("namespaces", new JsonObject(
        "{\"doc\":{\"history\":\"keep\"},\"poll\":{\"history\":\"7d\"},\"cursor\":{\"history\":\"30s\"},"
            + "\"chat\":{\"signals\":false}}")));

    assertEquals(Map.of("poll", Duration.ofDays(7), "cursor", Duration.ofSeconds(30)), history.windows());
    assertEquals(Set.of("doc"), history.kept());
    assertEquals(Set.of("doc", "poll", "cursor"), history.own());
    assertEquals(Duration.ofSeconds(30), history.shortest(Duration.ofHours(24)));
    assertEquals(Duration.ofSeconds(10), history.shortest(Duration.ofSeconds(10)));
    assertEquals(NamespaceHistory.NONE, NamespaceHistory.from(new JsonObject()));
  }

  @Test
  void refusesAnythingButAPositiveDurationOrKeep() {
    assertNull(NamespaceHistory.window("doc", "keep"));
    assertEquals(Duration.ofHours(1), NamespaceHistory.window("doc", "1h"));
    for (Object wrong : new Object[] {"Keep", "forever", "0s", "-1h", 3600, true, "99999999999999999999d"}) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> NamespaceHistory.window("doc", wrong), String.valueOf(wrong));
      assertEquals("namespace 'doc': option 'history' must be a positive duration such as 30s, 15m, 24h or 7d, or"
          + " \"keep\"", refused.getMessage());
    }
  }
}
