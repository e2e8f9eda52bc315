package dev.switchboard.persistence;

import dev.switchboard.protocol.ConfigReader;
import dev.switchboard.protocol.NamespaceHistory;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The persistence role's settings (docs/ARCHITECTURE.md, Configuration), validated when built.
 *
 * @param dataDir the embedded store's directory ({@code SB_DATA_DIR}, default {@code ./data})
 * @param historyTtl how long events are kept ({@code SB_HISTORY_TTL}, default 24 h)
 * @param appendMaxBatch the most appends committed in one transaction ({@code SB_APPEND_MAX_BATCH}, default 1000)
 * @param postgres the PostgreSQL event store's settings when {@code SB_PG_URL} is set, else {@code null} (then the
 *                 embedded store in {@code dataDir} keeps the events)
 * @param namespaceHistory the namespaces with a history window of their own (the configuration file's
 *                         {@code history} options), which replaces {@code historyTtl} for their sessions
 */
public record PersistenceConfig(Path dataDir, Duration historyTtl, int appendMaxBatch, PgConfig postgres,
                                NamespaceHistory namespaceHistory) {

  public static final String DEFAULT_DATA_DIR = "./data";
  public static final Duration DEFAULT_HISTORY_TTL = Duration.ofHours(24);

  /**
   * How long the canary's events ({@code sys:canary:*}) are kept, whatever the history window (not a setting): long
   * enough to look at a recent round, short enough that a canary every few seconds stores little.
   */
  public static final Duration CANARY_RETENTION = Duration.ofMinutes(5);

  private static final Duration MIN_RETENTION_INTERVAL = Duration.ofSeconds(1);
  private static final Duration MAX_RETENTION_INTERVAL = Duration.ofSeconds(60);

  public PersistenceConfig {
    if (dataDir == null) {
      throw new IllegalArgumentException("SB_DATA_DIR must be set");
    }
    if (historyTtl == null || historyTtl.isNegative() || historyTtl.isZero()) {
      throw new IllegalArgumentException("SB_HISTORY_TTL must be positive, got " + historyTtl);
    }
    if (namespaceHistory == null) {
      throw new IllegalArgumentException("the namespaces' history windows are required (NamespaceHistory.NONE)");
    }
    if (appendMaxBatch < 1) {
      throw new IllegalArgumentException("SB_APPEND_MAX_BATCH must be at least 1, got " + appendMaxBatch);
    }
  }

  /** Settings without namespace windows. */
  public PersistenceConfig(Path dataDir, Duration historyTtl, int appendMaxBatch, PgConfig postgres) {
    this(dataDir, historyTtl, appendMaxBatch, postgres, NamespaceHistory.NONE);
  }

  /**
   * Reads the {@code SB_*} keys of a verticle config, with the defaults above, and the {@code history} options of its
   * {@code namespaces}.
   */
  public static PersistenceConfig from(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    return new PersistenceConfig(
        Path.of(reader.string("SB_DATA_DIR", DEFAULT_DATA_DIR)),
        reader.duration("SB_HISTORY_TTL", DEFAULT_HISTORY_TTL),
        reader.integer("SB_APPEND_MAX_BATCH", GroupCommitter.DEFAULT_MAX_BATCH),
        PgConfig.from(reader),
        NamespaceHistory.from(config));
  }

  /** How long canary events are kept: {@link #CANARY_RETENTION}, or the history window when that is shorter. */
  public Duration canaryRetention() {
    return historyTtl.compareTo(CANARY_RETENTION) < 0 ? historyTtl : CANARY_RETENTION;
  }

  /**
   * How often retention runs: a tenth of the shortest history window (the global one or a namespace's), between 1 s
   * and 60 s, so expired events outlive their window by at most a tenth of it (and at most a minute).
   */
  public Duration retentionInterval() {
    Duration tenth = namespaceHistory.shortest(historyTtl).dividedBy(10);
    if (tenth.compareTo(MIN_RETENTION_INTERVAL) < 0) {
      return MIN_RETENTION_INTERVAL;
    }
    return tenth.compareTo(MAX_RETENTION_INTERVAL) > 0 ? MAX_RETENTION_INTERVAL : tenth;
  }
}
