package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings that more than one role reads, read, defaulted and validated here only (docs/ARCHITECTURE.md,
 * Configuration): each role's own record ({@code EdgeConfig}, {@code AuthConfig}, {@code PresenceConfig}, the
 * server's {@code NodeSettings}) takes them from here, so the roles of a process cannot disagree about them. The
 * defaults are README.md's configuration table.
 *
 * @param roles the roles this process runs ({@code SB_ROLES}, default all); an unknown role fails the start
 * @param httpHost the address the process's HTTP server binds ({@code SB_HTTP_HOST}, default {@code 0.0.0.0}): the
 *                 edge's, or the probes' in a process without an edge
 * @param httpPort that server's port ({@code SB_HTTP_PORT}, default 8080, {@code 0} for any free port)
 * @param devTokens whether {@code POST /dev/token} mints tokens ({@code SB_DEV_TOKENS}): the edge mounts the route,
 *                  auth signs them; by default only when no JWT key is configured
 * @param redisUrl the Redis shared by the nodes ({@code SB_REDIS_URL}), where auth keeps publish budgets and presence
 *                 its state, or {@code null} to keep both in this process
 * @param presenceHeartbeat how often each edge refreshes the presence of its connections
 *                          ({@code SB_PRESENCE_HEARTBEAT}, default 30 s); presence checks that its TTL outlasts it
 */
public record SharedConfig(Set<RoleName> roles, String httpHost, int httpPort, boolean devTokens, String redisUrl,
                           Duration presenceHeartbeat) {

  /** The roles one process can run. */
  public enum RoleName { PERSISTENCE, AUTH, PRESENCE, EDGE }

  public static final String DEV_TOKENS = "SB_DEV_TOKENS";
  /** The settings that each configure a JWT key; with none of them set, a node runs in dev mode. */
  public static final Set<String> JWT_KEY_SETTINGS = Set.of("SB_JWT_SECRET", "SB_JWT_PUBLIC_KEY_FILE", "SB_JWKS");

  public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int MAX_PORT = 65535;
  public static final Duration DEFAULT_PRESENCE_HEARTBEAT = Duration.ofSeconds(30);
  /** Shorter heartbeats would flood presence with refreshes. */
  public static final Duration MIN_PRESENCE_HEARTBEAT = Duration.ofMillis(100);

  private static final Pattern REDIS_URL = Pattern.compile("(rediss?|unix)://.+");
  private static final Pattern PASSWORD = Pattern.compile("(://[^:/@]*:)[^@]*@");

  public SharedConfig {
    if (roles == null || roles.isEmpty()) {
      throw new IllegalArgumentException("SB_ROLES names no role");
    }
    roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
    if (httpHost == null || httpHost.isBlank()) {
      throw new IllegalArgumentException("SB_HTTP_HOST must be set");
    }
    requireHttpPort(httpPort);
    requireRedisUrl(redisUrl);
    requirePresenceHeartbeat(presenceHeartbeat);
  }

  /** Reads the shared {@code SB_*} keys of a verticle (or process) config, with the defaults above. */
  public static SharedConfig from(JsonObject json) {
    ConfigReader config = new ConfigReader(json);
    return new SharedConfig(
        parseRoles(config.string("SB_ROLES", null)),
        config.string("SB_HTTP_HOST", DEFAULT_HTTP_HOST),
        config.integer("SB_HTTP_PORT", DEFAULT_HTTP_PORT),
        config.bool(DEV_TOKENS, !jwtKeyConfigured(config)),
        config.string("SB_REDIS_URL", null),
        config.duration("SB_PRESENCE_HEARTBEAT", DEFAULT_PRESENCE_HEARTBEAT));
  }

  /** Whether any JWT key setting is set; without one a node runs in dev mode, on a secret generated at start. */
  public static boolean jwtKeyConfigured(ConfigReader config) {
    return JWT_KEY_SETTINGS.stream().anyMatch(key -> config.string(key, null) != null);
  }

  /** Parses {@code edge,auth,presence,persistence} (any order, any case); {@code null} means all of them. */
  public static Set<RoleName> parseRoles(String list) {
    if (list == null) {
      return EnumSet.allOf(RoleName.class);
    }
    Set<RoleName> roles = EnumSet.noneOf(RoleName.class);
    for (String name : list.split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      try {
        roles.add(RoleName.valueOf(trimmed.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("SB_ROLES names an unknown role '" + trimmed
            + "': use edge, auth, presence, persistence");
      }
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("SB_ROLES names no role");
    }
    return roles;
  }

  /** Checks an HTTP port ({@code SB_HTTP_PORT}): 0-65535, 0 being any free port. */
  public static void requireHttpPort(int port) {
    if (port < 0 || port > MAX_PORT) {
      throw new IllegalArgumentException("SB_HTTP_PORT must be 0-" + MAX_PORT + ", got " + port);
    }
  }

  /** Checks a Redis URL ({@code SB_REDIS_URL}); {@code null} passes. The message never repeats the URL. */
  public static void requireRedisUrl(String url) {
    if (url != null && !REDIS_URL.matcher(url).matches()) {
      // Not repeating the value: it may hold a password.
      throw new IllegalArgumentException("SB_REDIS_URL must look like redis://[:password@]host:6379[/db]"
          + " or rediss://...");
    }
  }

  /** Checks a presence heartbeat interval ({@code SB_PRESENCE_HEARTBEAT}): at least 100 ms. */
  public static void requirePresenceHeartbeat(Duration heartbeat) {
    if (heartbeat == null || heartbeat.compareTo(MIN_PRESENCE_HEARTBEAT) < 0) {
      throw new IllegalArgumentException("SB_PRESENCE_HEARTBEAT must be at least "
          + MIN_PRESENCE_HEARTBEAT.toMillis() + "ms");
    }
  }

  /** A URL fit for logs: the password, if any, replaced by {@code <redacted>}; {@code <unset>} for {@code null}. */
  public static String redactPassword(String url) {
    return url == null ? "<unset>" : PASSWORD.matcher(url).replaceFirst("$1<redacted>@");
  }

  @Override
  public String toString() {
    return "SharedConfig[roles=" + roles + ", http=" + httpHost + ":" + httpPort + ", devTokens=" + devTokens
        + ", redisUrl=" + redactPassword(redisUrl) + ", presenceHeartbeat=" + presenceHeartbeat + "]";
  }
}
