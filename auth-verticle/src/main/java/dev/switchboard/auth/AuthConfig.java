package dev.switchboard.auth;

import dev.switchboard.protocol.ConfigReader;
import dev.switchboard.protocol.SharedConfig;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * The auth role's settings (docs/ARCHITECTURE.md, Configuration), validated when built; {@link #toString()} never
 * shows the secret.
 *
 * @param jwtSecret the HS256/384/512 secret ({@code SB_JWT_SECRET}), at least 32 bytes; {@code null} when none is
 *                  configured
 * @param issuer the required {@code iss} ({@code SB_JWT_ISSUER}), or {@code null} to accept any
 * @param audience the required {@code aud} ({@code SB_JWT_AUDIENCE}), or {@code null} to accept any
 * @param devTokens whether {@code POST /dev/token} mints tokens ({@code SB_DEV_TOKENS}, read by {@link SharedConfig}:
 *                  by default only without a key)
 * @param publishLimit the per-user publish limit ({@code SB_PUBLISH_RATE} per minute, {@code SB_PUBLISH_BURST})
 * @param redisUrl where publish budgets are kept so that every node shares them ({@code SB_REDIS_URL}, read by
 *                 {@link SharedConfig}: a {@code redis://} or {@code rediss://} URL), or {@code null} to keep them in
 *                 this process
 * @param publicKeyFile a PEM file of RSA or EC public keys ({@code SB_JWT_PUBLIC_KEY_FILE}), or {@code null}
 * @param jwks a JWKS file path or http(s) URL ({@code SB_JWKS}), or {@code null}
 * @param jwksRefresh how often the JWKS is read again ({@code SB_JWKS_REFRESH}); {@code null} means the default
 * @param leeway the clock difference tolerated on {@code exp} and {@code nbf} ({@code SB_JWT_LEEWAY}); {@code null}
 *               means the default
 */
public record AuthConfig(String jwtSecret, String issuer, String audience, boolean devTokens,
                         RateLimit publishLimit, String redisUrl, String publicKeyFile, String jwks,
                         Duration jwksRefresh, Duration leeway) {

  /** RFC 7518 section 3.2: an HS256 key must be at least as long as the hash, 256 bits. */
  public static final int MIN_SECRET_BYTES = 32;

  public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);
  /** More tolerance than this would quietly stretch every token's lifetime. */
  public static final Duration MAX_LEEWAY = Duration.ofMinutes(5);
  public static final Duration DEFAULT_JWKS_REFRESH = Duration.ofMinutes(10);
  /** Reading a JWKS more often than this would hammer its issuer. */
  public static final Duration MIN_JWKS_REFRESH = Duration.ofSeconds(1);
  public static final int DEFAULT_PUBLISH_PER_MINUTE = 100;
  public static final int DEFAULT_PUBLISH_BURST = 20;

  /** Settings whose only key is the HS secret, with the default leeway. */
  public AuthConfig(String jwtSecret, String issuer, String audience, boolean devTokens, RateLimit publishLimit,
                    String redisUrl) {
    this(jwtSecret, issuer, audience, devTokens, publishLimit, redisUrl, null, null, null, null);
  }

  public AuthConfig {
    if (jwtSecret != null && jwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("SB_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes long");
    }
    if (publishLimit == null) {
      throw new IllegalArgumentException("a publish limit is required");
    }
    SharedConfig.requireRedisUrl(redisUrl);
    jwksRefresh = jwksRefresh == null ? DEFAULT_JWKS_REFRESH : jwksRefresh;
    leeway = leeway == null ? DEFAULT_LEEWAY : leeway;
    if (jwks != null && jwks.contains("://") && !JwksSource.isUrl(jwks)) {
      // Not repeating the value: a URL may carry credentials.
      throw new IllegalArgumentException("SB_JWKS must be a file path or an http:// or https:// URL");
    }
    if (jwksRefresh.compareTo(MIN_JWKS_REFRESH) < 0) {
      throw new IllegalArgumentException("SB_JWKS_REFRESH must be at least " + MIN_JWKS_REFRESH.toSeconds() + "s");
    }
    if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
      throw new IllegalArgumentException("SB_JWT_LEEWAY must be between 0s and " + MAX_LEEWAY.toMinutes() + "m");
    }
  }

  /**
   * Reads the {@code SB_*} keys of a verticle config, with the defaults above; {@code SB_DEV_TOKENS} and
   * {@code SB_REDIS_URL} come from {@link SharedConfig}, which the edge and presence read too.
   */
  public static AuthConfig from(JsonObject json) {
    ConfigReader config = new ConfigReader(json);
    SharedConfig shared = SharedConfig.from(json);
    return new AuthConfig(config.string("SB_JWT_SECRET", null),
        config.string("SB_JWT_ISSUER", null),
        config.string("SB_JWT_AUDIENCE", null),
        shared.devTokens(),
        new RateLimit(config.integer("SB_PUBLISH_RATE", DEFAULT_PUBLISH_PER_MINUTE),
            config.integer("SB_PUBLISH_BURST", DEFAULT_PUBLISH_BURST)),
        shared.redisUrl(),
        config.string("SB_JWT_PUBLIC_KEY_FILE", null),
        config.string("SB_JWKS", null),
        config.duration("SB_JWKS_REFRESH", DEFAULT_JWKS_REFRESH),
        config.duration("SB_JWT_LEEWAY", DEFAULT_LEEWAY));
  }

  /** Whether any JWT key is configured; without one the node runs in dev mode on a generated secret. */
  public boolean hasKey() {
    return jwtSecret != null || publicKeyFile != null || jwks != null;
  }

  /** These settings with a fresh {@link #generatedSecret()}, for an auth role deployed without a key. */
  public AuthConfig withGeneratedSecret() {
    return new AuthConfig(generatedSecret(), issuer, audience, devTokens, publishLimit, redisUrl, publicKeyFile, jwks,
        jwksRefresh, leeway);
  }

  /**
   * A fresh random 256-bit HS secret, base64url: the dev-mode secret. The server's {@code NodeSettings} puts one in
   * the process's config when no key is configured, so every role of the process shares it.
   */
  public static String generatedSecret() {
    byte[] random = new byte[MIN_SECRET_BYTES];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  @Override
  public String toString() {
    return "AuthConfig[jwtSecret=" + (jwtSecret == null ? "<unset>" : "<redacted>") + ", issuer=" + issuer
        + ", audience=" + audience + ", devTokens=" + devTokens + ", publishLimit=" + publishLimit + ", redisUrl="
        + SharedConfig.redactPassword(redisUrl)
        + ", publicKeyFile=" + (publicKeyFile == null ? "<unset>" : publicKeyFile)
        + ", jwks=" + (jwks == null ? "<unset>" : JwksSource.describe(jwks))
        + ", jwksRefresh=" + jwksRefresh + ", leeway=" + leeway + "]";
  }
}
