package dev.switchboard.auth;

import dev.switchboard.protocol.DevTokenRequest;
import dev.switchboard.protocol.DevTokenResult;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Mints development tokens ({@code POST /dev/token}) that {@link TokenVerifier} accepts: signed with the node's HS
 * secret (HS256), carrying the configured {@code iss} and {@code aud}. Public keys cannot sign, so a node configured
 * with only those has no dev tokens.
 *
 * <pre>
 * {"sub":"ada","name":"Ada","actorType":"presenter","sessions":["poll-*"],"publish":["poll-1"],
 *  "iat":1700000000,"exp":1700003600}
 * </pre>
 */
public final class DevTokenMinter {

  public static final long DEFAULT_TTL_SEC = 3600;
  /** Longer requests are shortened to this: a dev token should not outlive a working day. */
  /** A development token lives an hour at most: it opens every session it names to whoever holds it. */
  public static final long MAX_TTL_SEC = 3600;

  private final JWTAuth signer;
  private final JWTOptions options;
  private final String issuer;
  private final String audience;
  private final LongSupplier clock;

  /**
   * @param keys keys with an HS secret ({@link JwtKeys#signingAlgorithm()} not {@code null})
   * @param issuer the {@code iss} to put in tokens, or {@code null}
   * @param audience the {@code aud} to put in tokens, or {@code null}
   * @param clock the current time in milliseconds since the epoch
   */
  public DevTokenMinter(JwtKeys keys, String issuer, String audience, LongSupplier clock) {
    if (keys.signingAlgorithm() == null) {
      throw new IllegalArgumentException("dev tokens need SB_JWT_SECRET to sign with");
    }
    this.signer = keys.provider();
    // iat and exp are set here from the injected clock, not by the library from the system clock.
    this.options = new JWTOptions().setAlgorithm(keys.signingAlgorithm()).setNoTimestamp(true);
    this.issuer = issuer;
    this.audience = audience;
    this.clock = clock;
  }

  /**
   * A token for the request; a {@link ErrorCode#BAD_REQUEST} failure without {@code sub} or with a negative
   * {@code ttlSec}. A {@code ttlSec} of 0 (unset) means {@link #DEFAULT_TTL_SEC}; one above {@link #MAX_TTL_SEC} is
   * shortened to it.
   */
  public Future<DevTokenResult> mint(DevTokenRequest request) {
    if (request.sub() == null || request.sub().isBlank()) {
      return Future.failedFuture(ErrorCode.BAD_REQUEST.exception("sub is required"));
    }
    if (request.ttlSec() < 0) {
      return Future.failedFuture(ErrorCode.BAD_REQUEST.exception("ttlSec must be positive"));
    }
    long ttlSec = request.ttlSec() == 0 ? DEFAULT_TTL_SEC : Math.min(request.ttlSec(), MAX_TTL_SEC);
    long now = TimeUnit.MILLISECONDS.toSeconds(clock.getAsLong());
    JsonObject claims = new JsonObject()
        .put("sub", request.sub())
        .put("iat", now)
        .put("exp", now + ttlSec)
        // An id of its own, so that a dev token can be revoked like any other (docs/PROTOCOL.md, Control API).
        .put("jti", UUID.randomUUID().toString())
        .put("sessions", new JsonArray(request.sessions()))
        .put("publish", new JsonArray(request.publish()));
    putIfSet(claims, "name", request.name());
    putIfSet(claims, "actorType", request.actorType());
    putIfSet(claims, "iss", issuer);
    putIfSet(claims, "aud", audience);
    return Future.succeededFuture(new DevTokenResult(signer.generateToken(claims, options)));
  }

  private static void putIfSet(JsonObject claims, String name, String value) {
    if (value != null) {
      claims.put(name, value);
    }
  }
}
