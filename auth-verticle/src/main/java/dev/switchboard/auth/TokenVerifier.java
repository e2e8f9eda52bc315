package dev.switchboard.auth;

import dev.switchboard.protocol.SessionPatterns;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.SessionGrant;
import dev.switchboard.protocol.SessionIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Verifies a client JWT (docs/PROTOCOL.md, Authentication) and turns its claims into a {@link Principal}.
 *
 * <p>vertx-auth-jwt checks the signature; this class checks the rest, because the library accepts a token without
 * {@code exp}: the header's {@code alg} must name a key configured for that algorithm ({@code none} never does), a
 * {@code kid} must name a known key (after one refresh of the JWKS, see {@link JwtKeyRing}), {@code exp} and
 * {@code sub} are required, {@code exp} and {@code nbf} hold within the leeway, {@code iss} and {@code aud} must
 * match when configured. Every refusal is an {@link ErrorCode#UNAUTHORIZED} failure with a short message that never
 * contains the token:
 *
 * <pre>
 * no token | invalid token | unsupported algorithm | unknown key id | token has no exp | invalid exp claim |
 * token expired | token not yet valid | token has no sub | wrong issuer | wrong audience | ... claim must be ...
 * </pre>
 */
public final class TokenVerifier {

  /** Longer strings are refused before any decoding: no real token comes near it. */
  static final int MAX_TOKEN_CHARS = 16 * 1024;
  /** The claim that makes a token a session token: the one session it grants. */
  static final String SESSION_CLAIM = "session";

  private final JwtKeyRing keys;
  private final String issuer;
  private final String audience;
  private final long leewayMs;
  private final LongSupplier clock;

  /**
   * @param issuer the required {@code iss}, or {@code null}
   * @param audience the required {@code aud} (one of the token's audiences), or {@code null}
   * @param leeway how far this clock and the issuer's may differ: a token is accepted until {@code exp} plus it,
   *               and from {@code nbf} minus it
   * @param clock the current time in milliseconds since the epoch
   */
  public TokenVerifier(JwtKeyRing keys, String issuer, String audience, Duration leeway, LongSupplier clock) {
    this.keys = keys;
    this.issuer = issuer;
    this.audience = audience;
    this.leewayMs = leeway.toMillis();
    this.clock = clock;
  }

  /** The principal of a connection token, or an {@code unauthorized} failure. */
  public Future<Principal> verify(String token) {
    return claims(token).compose(this::principal);
  }

  /**
   * The grant of a session token (docs/PROTOCOL.md, Per-session tokens): checked like a connection token, then its
   * {@code session} claim (one valid session id) and its optional {@code publish} (a boolean).
   */
  public Future<SessionGrant> verifySession(String token) {
    return claims(token).compose(claims -> {
      if (!(claims.getValue(SESSION_CLAIM) instanceof String sessionId) || !SessionIds.isValid(sessionId)) {
        return refuse("a session token needs a session claim naming one session");
      }
      Object publish = claims.getValue("publish");
      if (publish != null && !(publish instanceof Boolean)) {
        return refuse("a session token's publish claim must be a boolean");
      }
      return Future.succeededFuture(new SessionGrant(claims.getString("sub"), sessionId, Boolean.TRUE.equals(publish),
          millis(claims.getNumber("exp")), text(claims.getValue("jti"))));
    });
  }

  /** The token's claims once its signature, times, {@code sub}, issuer and audience hold. */
  private Future<JsonObject> claims(String token) {
    if (token == null || token.isBlank()) {
      return refuse("no token");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      return refuse("invalid token");
    }
    JsonObject header = headerOf(token);
    if (header == null || !(header.getValue("alg") instanceof String algorithm)
        || (header.getValue("kid") != null && !(header.getValue("kid") instanceof String))) {
      return refuse("invalid token");
    }
    String kid = header.getString("kid");
    if (!JwtKeys.supported(algorithm)) {
      return refuse("unsupported algorithm");
    }
    JwtKeys current = keys.current();
    if (current.knows(algorithm, kid)) {
      return check(current, token);
    }
    // Only a JWKS changes, and it holds no HS keys: an HS token cannot be helped by reading it again.
    Future<JwtKeys> refreshed = JwtKeys.HMAC_ALGORITHMS.contains(algorithm)
        ? Future.succeededFuture(current) : keys.refreshForUnknownKey();
    return refreshed.compose(fresh -> {
      if (fresh.knows(algorithm, kid)) {
        return check(fresh, token);
      }
      return refuse(fresh.algorithms().contains(algorithm) ? "unknown key id" : "unsupported algorithm");
    });
  }

  /** Checks the signature with {@code against}, then the claims. */
  private Future<JsonObject> check(JwtKeys against, String token) {
    Future<User> authenticated;
    try {
      authenticated = against.provider().authenticate(new TokenCredentials(token));
    } catch (RuntimeException malformedClaim) {
      // vertx-auth-jwt reads exp/iat/nbf as numbers and throws, outside its future, when they are not.
      return refuse("invalid token");
    }
    return authenticated.transform(ar -> ar.succeeded()
        ? checked(ar.result().attributes().getJsonObject("accessToken"))
        : refuse("invalid token"));
  }

  private Future<JsonObject> checked(JsonObject claims) {
    if (claims == null) {
      return refuse("invalid token");
    }
    Object exp = claims.getValue("exp");
    if (exp == null) {
      return refuse("token has no exp");
    }
    if (!(exp instanceof Number expSeconds)) {
      return refuse("invalid exp claim");
    }
    long now = clock.getAsLong();
    long expiresAt = millis(expSeconds);
    if (now >= expiresAt + leewayMs) {
      return refuse("token expired");
    }
    Object nbf = claims.getValue("nbf");
    if (nbf != null && (!(nbf instanceof Number notBefore) || millis(notBefore) > now + leewayMs)) {
      return refuse("token not yet valid");
    }
    if (!(claims.getValue("sub") instanceof String sub) || sub.isEmpty()) {
      return refuse("token has no sub");
    }
    if (issuer != null && !issuer.equals(claims.getValue("iss"))) {
      return refuse("wrong issuer");
    }
    if (audience != null && !audienceMatches(claims.getValue("aud"))) {
      return refuse("wrong audience");
    }
    return Future.succeededFuture(claims);
  }

  /** A connection token's principal; a session token (one with a {@code session} claim) opens no connection. */
  private Future<Principal> principal(JsonObject claims) {
    if (claims.containsKey(SESSION_CLAIM)) {
      return refuse("a session token cannot authenticate a connection");
    }
    String sub = claims.getString("sub");
    long expiresAt = millis(claims.getNumber("exp"));
    List<String> sessions = SessionPatterns.of(claims.getValue("sessions"));
    if (sessions == null) {
      return refuse("sessions claim must be a string or an array of strings");
    }
    List<String> publish = SessionPatterns.of(claims.getValue("publish"));
    if (publish == null) {
      return refuse("publish claim must be a string or an array of strings");
    }
    return Future.succeededFuture(new Principal(sub, text(claims.getValue("name")),
        text(claims.getValue("actorType")), sessions, publish, expiresAt, text(claims.getValue("jti"))));
  }

  private boolean audienceMatches(Object aud) {
    if (aud instanceof String single) {
      return audience.equals(single);
    }
    return aud instanceof JsonArray many && many.contains(audience);
  }

  /** The header of a three-part compact JWS, or {@code null} when it is not one. */
  private static JsonObject headerOf(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) >= 0) {
      return null;
    }
    try {
      byte[] header = Base64.getUrlDecoder().decode(token.substring(0, first));
      return new JsonObject(new String(header, StandardCharsets.UTF_8));
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  private static String text(Object claim) {
    return claim instanceof String s ? s : null;
  }

  /** A NumericDate (seconds, possibly fractional) in milliseconds. */
  private static long millis(Number seconds) {
    return (long) Math.floor(seconds.doubleValue() * 1000);
  }

  private static <T> Future<T> refuse(String reason) {
    return Future.failedFuture(ErrorCode.UNAUTHORIZED.exception(reason));
  }
}
