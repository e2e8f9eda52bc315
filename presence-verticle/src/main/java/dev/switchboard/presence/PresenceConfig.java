package dev.switchboard.presence;

import dev.switchboard.protocol.ConfigReader;
import dev.switchboard.protocol.SharedConfig;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The presence role's settings, read from the {@code SB_*} keys of its verticle config and validated when built;
 * {@link #toString()} never shows a Redis password.
 *
 * @param redisUrl  where presence lives ({@code SB_REDIS_URL}, read by {@link SharedConfig}), or {@code null} to keep
 *                  it in this process
 * @param keyPrefix prefix of every presence key in Redis ({@code SB_REDIS_PRESENCE_PREFIX}), so that several
 *                  deployments (or test runs) can share one Redis
 * @param ttl       how long a connection stays present without being refreshed ({@code SB_PRESENCE_TTL})
 * @param heartbeat how often edges refresh their connections ({@code SB_PRESENCE_HEARTBEAT}, read by
 *                  {@link SharedConfig}); here only to check that the TTL outlasts it
 * @param broadcastMax the most users a session may have for its {@code presence.diff} frames to name who joined and
 *                  left ({@code SB_PRESENCE_BROADCAST_MAX}); above it they carry counts only
 */
public record PresenceConfig(String redisUrl, String keyPrefix, Duration ttl, Duration heartbeat, int broadcastMax) {

  public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
  public static final int DEFAULT_BROADCAST_MAX = 1000;
  /**
   * How long presence collects a session's joins and leaves before it publishes them as one diff: short enough that
   * people see each other arrive at once, long enough that a crowd arriving together is a few frames, not one per
   * user. Fixed, not a setting (docs/PROTOCOL.md, Presence).
   */
  public static final Duration DIFF_INTERVAL = Duration.ofMillis(100);
  /** The TTL must outlast this many heartbeats, so that one late heartbeat does not make a node's users leave. */
  static final int HEARTBEATS_PER_TTL = 2;
  /** Sweeps per TTL: a dead node's users leave within 1 + 1/4 TTL. */
  static final int SWEEPS_PER_TTL = 4;

  public PresenceConfig {
    SharedConfig.requireRedisUrl(redisUrl);
    if (keyPrefix == null || keyPrefix.isEmpty()) {
      throw new IllegalArgumentException("SB_REDIS_PRESENCE_PREFIX must not be empty");
    }
    SharedConfig.requirePresenceHeartbeat(heartbeat);
    if (ttl == null || ttl.compareTo(heartbeat.multipliedBy(HEARTBEATS_PER_TTL)) < 0) {
      throw new IllegalArgumentException("SB_PRESENCE_TTL must be at least twice SB_PRESENCE_HEARTBEAT, so that one"
          + " late heartbeat does not make a node's users leave");
    }
    if (broadcastMax < 0) {
      throw new IllegalArgumentException("SB_PRESENCE_BROADCAST_MAX must not be negative, got " + broadcastMax);
    }
  }

  /** Reads the {@code SB_*} keys of a verticle config: in memory, a 60 s TTL, 30 s heartbeats, lists up to 1000. */
  public static PresenceConfig from(JsonObject json) {
    ConfigReader config = new ConfigReader(json);
    SharedConfig shared = SharedConfig.from(json);
    return new PresenceConfig(
        shared.redisUrl(),
        config.string("SB_REDIS_PRESENCE_PREFIX", RedisPresenceStore.KEY_PREFIX),
        config.duration("SB_PRESENCE_TTL", DEFAULT_TTL),
        shared.presenceHeartbeat(),
        config.integer("SB_PRESENCE_BROADCAST_MAX", DEFAULT_BROADCAST_MAX));
  }

  /** How often stale connections are swept: a quarter of the TTL, so a dead node's users leave within 1.25 TTLs. */
  public Duration sweepInterval() {
    return ttl.dividedBy(SWEEPS_PER_TTL);
  }

  @Override
  public String toString() {
    return "PresenceConfig[redisUrl=" + SharedConfig.redactPassword(redisUrl) + ", keyPrefix=" + keyPrefix + ", ttl="
        + ttl + ", heartbeat=" + heartbeat + ", broadcastMax=" + broadcastMax + "]";
  }
}
