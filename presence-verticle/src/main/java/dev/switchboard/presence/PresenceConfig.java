package dev.switchboard.presence;

import dev.switchboard.protocol.ConfigReader;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The presence role's settings, read from the {@code SB_*} keys of its verticle config and validated when built;
 * {@link #toString()} never shows a Redis password.
 *
 * @param redisUrl  where presence lives ({@code SB_REDIS_URL}), or {@code null} to keep it in this process
 * @param keyPrefix prefix of every presence key in Redis ({@code SB_REDIS_PRESENCE_PREFIX}), so that several
 *                  deployments (or test runs) can share one Redis
 * @param ttl       how long a connection stays present without being refreshed ({@code SB_PRESENCE_TTL})
 * @param heartbeat how often edges refresh their connections ({@code SB_PRESENCE_HEARTBEAT}); read here only to
 *                  check that the TTL outlasts it
 */
public record PresenceConfig(String redisUrl, String keyPrefix, Duration ttl, Duration heartbeat) {

  private static final Pattern REDIS_URL = Pattern.compile("(rediss?|unix)://.+");
  private static final Pattern PASSWORD = Pattern.compile("(://[^:/@]*:)[^@]*@");

  public PresenceConfig {
    if (redisUrl != null && !REDIS_URL.matcher(redisUrl).matches()) {
      // Not repeating the value: it may hold a password.
      throw new IllegalArgumentException("SB_REDIS_URL must look like redis://[:password@]host:6379[/db]"
          + " or rediss://...");
    }
    if (keyPrefix == null || keyPrefix.isEmpty()) {
      throw new IllegalArgumentException("SB_REDIS_PRESENCE_PREFIX must not be empty");
    }
    if (heartbeat.toMillis() < 100) {
      throw new IllegalArgumentException("SB_PRESENCE_HEARTBEAT must be at least 100ms");
    }
    if (ttl.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("SB_PRESENCE_TTL must be at least twice SB_PRESENCE_HEARTBEAT, so that one"
          + " late heartbeat does not make a node's users leave");
    }
  }

  /** Reads the {@code SB_*} keys of a verticle config: in memory, a 60 s TTL, 30 s heartbeats. */
  public static PresenceConfig from(JsonObject json) {
    ConfigReader config = new ConfigReader(json);
    return new PresenceConfig(
        config.string("SB_REDIS_URL", null),
        config.string("SB_REDIS_PRESENCE_PREFIX", RedisPresenceStore.KEY_PREFIX),
        config.duration("SB_PRESENCE_TTL", Duration.ofSeconds(60)),
        config.duration("SB_PRESENCE_HEARTBEAT", Duration.ofSeconds(30)));
  }

  /** How often stale connections are swept: a quarter of the TTL, so a dead node's users leave within 1.25 TTLs. */
  public Duration sweepInterval() {
    return ttl.dividedBy(4);
  }

  @Override
  public String toString() {
    return "PresenceConfig[redisUrl=" + (redisUrl == null ? "<unset>" : PASSWORD.matcher(redisUrl)
        .replaceFirst("$1<redacted>@")) + ", keyPrefix=" + keyPrefix + ", ttl=" + ttl + ", heartbeat=" + heartbeat
        + "]";
  }
}
