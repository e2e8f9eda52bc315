package dev.switchboard.server;

import dev.switchboard.protocol.ConfigReader;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The process's configuration: a JSON config file overlaid by {@code SB_*} environment variables, completed with the
 * single-node defaults (a generated dev secret and the dev-token door when no key is configured). Every verticle gets
 * the same object and reads its own keys.
 *
 * @param config every {@code SB_*} setting, as the verticles read it
 * @param devMode true when the JWT secret was generated for this process
 */
public record NodeSettings(JsonObject config, Set<Role> roles, boolean cluster, boolean devMode) {

  private static final String[] KEY_SETTINGS = {"SB_JWT_SECRET", "SB_JWT_PUBLIC_KEY_FILE", "SB_JWKS"};

  /** Builds the settings; fails with a message naming the setting when the combination cannot run. */
  public static NodeSettings resolve(JsonObject file, Map<String, String> environment) {
    JsonObject config = file == null ? new JsonObject() : file.copy();
    environment.forEach((key, value) -> {
      if (key.startsWith("SB_")) {
        config.put(key, value);
      }
    });
    ConfigReader reader = new ConfigReader(config);
    Set<Role> roles = Role.parse(reader.string("SB_ROLES", "edge,auth,presence,persistence"));
    boolean cluster = reader.bool("SB_CLUSTER", false);
    if (cluster && reader.string("SB_PG_URL", null) == null) {
      // Every member must read and write the same log: an embedded store per process would fork it.
      throw new IllegalArgumentException("a clustered node needs PostgreSQL: set SB_PG_URL (the embedded store"
          + " belongs to one process and cannot be shared by a cluster)");
    }
    boolean hasKey = false;
    for (String key : KEY_SETTINGS) {
      hasKey |= reader.string(key, null) != null;
    }
    boolean devMode = false;
    if (!hasKey) {
      if (cluster || reader.string("SB_PG_URL", null) != null) {
        throw new IllegalArgumentException("a clustered or PostgreSQL-backed node needs a JWT key: set SB_JWT_SECRET,"
            + " SB_JWT_PUBLIC_KEY_FILE or SB_JWKS (a secret generated per process would not be shared by the others)");
      }
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      config.put("SB_JWT_SECRET", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
      devMode = true;
    }
    if (reader.string("SB_DEV_TOKENS", null) == null) {
      config.put("SB_DEV_TOKENS", devMode);
    }
    return new NodeSettings(config, roles, cluster, devMode);
  }

  @Override
  public String toString() {
    return "NodeSettings[roles=" + roles + ", cluster=" + cluster + ", devMode=" + devMode + "]";
  }
}
