package dev.switchboard.server;

import dev.switchboard.auth.AuthConfig;
import dev.switchboard.persistence.PgConfig;
import dev.switchboard.protocol.ConfigReader;
import dev.switchboard.protocol.SharedConfig;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The process's configuration: a JSON config file overlaid by {@code SB_*} environment variables, completed with the
 * single-node defaults (a generated dev secret and the dev-token door when no key is configured). Every verticle gets
 * the same object and reads its own keys (docs/ARCHITECTURE.md, Configuration).
 *
 * @param config every {@code SB_*} setting, as the verticles read it
 * @param shared the settings several roles read ({@code SB_ROLES}, {@code SB_HTTP_HOST}, {@code SB_HTTP_PORT},
 *               {@code SB_DEV_TOKENS}, ...), as every role of this process reads them from {@code config}
 * @param cluster whether this process joins a cluster ({@code SB_CLUSTER})
 * @param devMode true when the JWT secret was generated for this process
 * @param drainGrace the longest drain on SIGTERM ({@code SB_DRAIN_GRACE})
 * @param logFormat how the process logs ({@code SB_LOG_FORMAT}); {@code Main} installs it before its first line
 * @param metrics whether the node keeps metrics and serves {@code GET /metrics} ({@code SB_METRICS})
 * @param internalPort the port of the internal server ({@code /metrics}, {@code /health}, {@code /ready}), or null
 *                     to serve {@code /metrics} on the HTTP port ({@code SB_INTERNAL_PORT})
 */
public record NodeSettings(JsonObject config, SharedConfig shared, boolean cluster, boolean devMode,
                           Duration drainGrace, LogFormat logFormat, boolean metrics, Integer internalPort) {

  /** Where a node in dev mode listens when {@code SB_HTTP_HOST} is not set: this machine only. */
  public static final String DEV_MODE_HOST = "127.0.0.1";

  public static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(20);

  private static final String INTERNAL_PORT = "SB_INTERNAL_PORT";

  public NodeSettings {
    if (config == null || shared == null) {
      throw new IllegalArgumentException("the config and its shared settings are required");
    }
    if (drainGrace == null || drainGrace.isNegative() || drainGrace.isZero()) {
      throw new IllegalArgumentException("SB_DRAIN_GRACE must be positive, got " + drainGrace);
    }
    if (logFormat == null) {
      throw new IllegalArgumentException("the log format is required");
    }
    if (internalPort != null && (internalPort < 0 || internalPort > 65535)) {
      throw new IllegalArgumentException("SB_INTERNAL_PORT must be a port (0-65535), got " + internalPort);
    }
  }

  /** Builds the settings; fails with a message naming the setting when the combination cannot run. */
  public static NodeSettings resolve(JsonObject file, Map<String, String> environment) {
    JsonObject config = file == null ? new JsonObject() : file.copy();
    environment.forEach((key, value) -> {
      if (key.startsWith("SB_")) {
        config.put(key, value);
      }
    });
    ConfigReader reader = new ConfigReader(config);
    if (!SharedConfig.jwtKeyConfigured(reader) && !config.containsKey("SB_HTTP_HOST")) {
      // Dev mode mints tokens for anyone who asks: it listens on this machine only, unless told otherwise.
      config.put("SB_HTTP_HOST", DEV_MODE_HOST);
    }
    SharedConfig shared = SharedConfig.from(config);
    boolean cluster = reader.bool("SB_CLUSTER", false);
    boolean postgres = PgConfig.configuredIn(reader);
    if (cluster && !postgres) {
      // Every member must read and write the same log: an embedded store per process would fork it.
      throw new IllegalArgumentException("a clustered node needs PostgreSQL: set SB_PG_URL (the embedded store"
          + " belongs to one process and cannot be shared by a cluster)");
    }
    boolean devMode = !SharedConfig.jwtKeyConfigured(reader);
    if (devMode) {
      if (cluster || postgres) {
        throw new IllegalArgumentException("a clustered or PostgreSQL-backed node needs a JWT key: set SB_JWT_SECRET,"
            + " SB_JWT_PUBLIC_KEY_FILE or SB_JWKS (a secret generated per process would not be shared by the others)");
      }
      config.put("SB_JWT_SECRET", AuthConfig.generatedSecret());
    }
    // The generated secret is a key to every role that reads the config after this, and would turn the default of
    // SB_DEV_TOKENS off for them: they get the value decided here, before it existed.
    config.put(SharedConfig.DEV_TOKENS, shared.devTokens());
    Integer internalPort = config.containsKey(INTERNAL_PORT) ? reader.integer(INTERNAL_PORT, 0) : null;
    return new NodeSettings(config, shared, cluster, devMode,
        reader.duration("SB_DRAIN_GRACE", DEFAULT_DRAIN_GRACE), LogFormat.from(reader),
        reader.bool("SB_METRICS", true), internalPort);
  }

  /** The roles this process deploys ({@code SB_ROLES}). */
  public Set<Role> roles() {
    return Role.of(shared.roles());
  }

  @Override
  public String toString() {
    return "NodeSettings[roles=" + roles() + ", cluster=" + cluster + ", devMode=" + devMode + ", http="
        + shared.httpHost() + ":" + shared.httpPort() + ", drainGrace=" + drainGrace + ", logFormat="
        + logFormat.value() + ", metrics=" + metrics + ", internalPort=" + internalPort + "]";
  }
}
