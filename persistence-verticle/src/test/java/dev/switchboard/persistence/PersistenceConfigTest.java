package dev.switchboard.persistence;

import dev.switchboard.protocol.NamespaceHistory;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersistenceConfigTest {

  @Test
  void defaultsToASingleNodeSetUp() {
    assertEquals(new PersistenceConfig(Path.of("./data"), Duration.ofHours(24), 1000, null),
        PersistenceConfig.from(new JsonObject()));
  }

  @Test
  void readsTheSbKeys() {
    PersistenceConfig config = PersistenceConfig.from(new JsonObject()
        .put("SB_DATA_DIR", "/var/lib/switchboard").put("SB_HISTORY_TTL", "90m").put("SB_APPEND_MAX_BATCH", 250));

    assertEquals(new PersistenceConfig(Path.of("/var/lib/switchboard"), Duration.ofMinutes(90), 250, null), config);
  }

  @Test
  void choosesPostgresWhenAUrlIsSet() {
    PersistenceConfig config = PersistenceConfig.from(new JsonObject()
        .put("SB_PG_URL", "postgresql://sb:secret@db.internal:5432/events").put("SB_PG_POOL_SIZE", "12"));

    assertEquals(new PgConfig("postgresql://sb:secret@db.internal:5432/events", 12, PgConfig.DEFAULT_CONNECT_TIMEOUT,
        PgConfig.DEFAULT_QUERY_TIMEOUT, null), config.postgres());
    assertFalse(config.toString().contains("secret"), config.toString());
  }

  @Test
  void refusesValuesThatCannotWork() {
    IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
        () -> PersistenceConfig.from(new JsonObject().put("SB_APPEND_MAX_BATCH", "0")));
    assertTrue(batch.getMessage().contains("SB_APPEND_MAX_BATCH"));
    IllegalArgumentException ttl = assertThrows(IllegalArgumentException.class,
        () -> PersistenceConfig.from(new JsonObject().put("SB_HISTORY_TTL", "0s")));
    assertTrue(ttl.getMessage().contains("SB_HISTORY_TTL"));
    assertThrows(IllegalArgumentException.class, () -> new PersistenceConfig(null, Duration.ofHours(1), 1, null));
  }

  @Test
  void sweepsRetentionAtATenthOfTheWindowBetweenOneSecondAndOneMinute() {
    assertEquals(Duration.ofSeconds(60), withTtl(Duration.ofHours(24)).retentionInterval());
    assertEquals(Duration.ofSeconds(30), withTtl(Duration.ofMinutes(5)).retentionInterval());
    assertEquals(Duration.ofSeconds(1), withTtl(Duration.ofSeconds(3)).retentionInterval());
  }

  @Test
  void readsTheNamespacesHistoryWindowsAndSweepsOftenEnoughForTheShortest() {
    PersistenceConfig config = PersistenceConfig.from(new JsonObject().put("namespaces", new JsonObject()
        .put("doc", new JsonObject().put("history", "keep"))
        .put("poll", new JsonObject().put("history", "5m").put("signals", false))
        .put("chat", new JsonObject().put("signals", false))));

    assertEquals(new NamespaceHistory(Map.of("poll", Duration.ofMinutes(5)), Set.of("doc")),
        config.namespaceHistory());
    assertEquals(Set.of("doc", "poll"), config.namespaceHistory().own());
    assertEquals(Duration.ofSeconds(30), config.retentionInterval());
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> PersistenceConfig.from(new JsonObject().put("namespaces", new JsonObject()
            .put("doc", new JsonObject().put("history", "always")))));
    assertTrue(wrong.getMessage().startsWith("namespace 'doc': option 'history' must be"), wrong.getMessage());
  }

  private static PersistenceConfig withTtl(Duration ttl) {
    return new PersistenceConfig(Path.of("data"), ttl, 1000, null);
  }
}
