package dev.switchboard.auth;

import dev.switchboard.protocol.ConfigReader;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The auth role's settings (DESIGN.md "Configuration"), validated when built; {@link #toString()} never shows the
 * secret.
 *
 * @param jwtSecret the HS256 secret ({@code SB_JWT_SECRET}), at least 32 bytes; {@code null} when none is configured
 * @param issuer the required {@code iss} ({@code SB_JWT_ISSUER}), or {@code null} to accept any
 * @param audience the required {@code aud} ({@code SB_JWT_AUDIENCE}), or {@code null} to accept any
 * @param devTokens whether {@code POST /dev/token} mints tokens ({@code SB_DEV_TOKENS}, default: only without a key)
 * @param publishLimit the per-user publish limit ({@code SB_PUBLISH_RATE} per minute, {@code SB_PUBLISH_BURST})
 * @param redisUrl where publish budgets are kept so that every node shares them ({@code SB_REDIS_URL}, a
 *                 {@code redis://} or {@code rediss://} URL), or {@code null} to keep them in this process
 */
public record AuthConfig(String jwtSecret, String issuer, String audience, boolean devTokens,
                         RateLimit publishLimit, String redisUrl) {

  /** RFC 7518 section 3.2: an HS256 key must be at least as long as the hash, 256 bits. */
  public static final int MIN_SECRET_BYTES = 32;

  private static final String[] UNSUPPORTED_KEYS = {"SB_JWT_PUBLIC_KEY_FILE", "SB_JWKS"};
  private static final Pattern REDIS_URL = Pattern.compile("(rediss?|unix)://.+");
  private static final Pattern PASSWORD = Pattern.compile("(://[^:/@]*:)[^@]*@");

  public AuthConfig {
    if (jwtSecret != null && jwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("SB_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes long");
    }
    if (publishLimit == null) {
      throw new IllegalArgumentException("a publish limit is required");
    }
    if (redisUrl != null && !REDIS_URL.matcher(redisUrl).matches()) {
      // Not repeating the value: it may hold a password.
      throw new IllegalArgumentException("SB_REDIS_URL must look like redis://[:password@]host:6379[/db]"
          + " or rediss://...");
    }
  }

  /** Reads the {@code SB_*} keys of a verticle config, with the defaults above. */
  public static AuthConfig from(JsonObject json) {
    ConfigReader config = new ConfigReader(json);
    for (String key : UNSUPPORTED_KEYS) {
      // Ignoring a configured public key would leave the node on a generated secret, refusing every real token.
      if (config.string(key, null) != null) {
        throw new IllegalArgumentException(key + " is not supported by this auth role yet; configure SB_JWT_SECRET");
      }
    }
    String secret = config.string("SB_JWT_SECRET", null);
    return new AuthConfig(secret,
        config.string("SB_JWT_ISSUER", null),
        config.string("SB_JWT_AUDIENCE", null),
        config.bool("SB_DEV_TOKENS", secret == null),
        new RateLimit(config.integer("SB_PUBLISH_RATE", 100), config.integer("SB_PUBLISH_BURST", 20)),
        config.string("SB_REDIS_URL", null));
  }

  /** Whether a signing key is configured; without one the node runs in dev mode on a generated secret. */
  public boolean hasKey() {
    return jwtSecret != null;
  }

  /** These settings with a fresh random 256-bit secret, for a node started without a key. */
  public AuthConfig withGeneratedSecret() {
    byte[] random = new byte[MIN_SECRET_BYTES];
    new SecureRandom().nextBytes(random);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    return new AuthConfig(secret, issuer, audience, devTokens, publishLimit, redisUrl);
  }

  @Override
  public String toString() {
    return "AuthConfig[jwtSecret=" + (jwtSecret == null ? "<unset>" : "<redacted>") + ", issuer=" + issuer
        + ", audience=" + audience + ", devTokens=" + devTokens + ", publishLimit=" + publishLimit + ", redisUrl="
        + (redisUrl == null ? "<unset>" : PASSWORD.matcher(redisUrl).replaceFirst("$1<redacted>@")) + "]";
  }
}
