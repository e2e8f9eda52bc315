package dev.switchboard.auth;

import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.util.Set;

/**
 * The keys tokens are checked against (and dev tokens signed with): the one place that turns settings into
 * vertx-auth-jwt keys and the list of algorithms a token header may name.
 */
public final class JwtKeys {

  private static final String HS256 = "HS256";

  private final PubSecKeyOptions key;
  private final Set<String> algorithms;

  private JwtKeys(PubSecKeyOptions key, Set<String> algorithms) {
    this.key = key;
    this.algorithms = algorithms;
  }

  /** The keys of a configuration that has one ({@link AuthConfig#hasKey()}). */
  public static JwtKeys from(AuthConfig config) {
    if (!config.hasKey()) {
      throw new IllegalArgumentException("no JWT key configured");
    }
    return new JwtKeys(new PubSecKeyOptions().setAlgorithm(HS256).setBuffer(config.jwtSecret()), Set.of(HS256));
  }

  /** The {@code alg} header values accepted; {@code none} is never among them. */
  public Set<String> algorithms() {
    return algorithms;
  }

  /** The algorithm dev tokens are signed with. */
  public String signingAlgorithm() {
    return HS256;
  }

  /**
   * A provider that checks signatures only: expiry, issuer and audience are checked by {@link TokenVerifier}, which
   * is stricter than vertx-auth-jwt (it accepts a token without {@code exp}).
   */
  public JWTAuth provider(Vertx vertx) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key)
        .setJWTOptions(new JWTOptions().setIgnoreExpiration(true)));
  }

  @Override
  public String toString() {
    return "JwtKeys" + algorithms;
  }
}
