package dev.switchboard.auth;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.Codecs;
import dev.switchboard.protocol.DevTokenRequest;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.RateRequest;
import dev.switchboard.protocol.RateResult;
import dev.switchboard.protocol.RevokeRequest;
import dev.switchboard.protocol.VerifyRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * The auth role: verifies tokens ({@code auth.verify}, session tokens {@code auth.verify.session}), charges publish budgets ({@code auth.rate}) and, when dev
 * tokens are on, mints tokens ({@code auth.devtoken}). Without a configured key it signs with a secret generated at
 * start (dev mode); deploy one instance per process then, since each instance would generate its own secret (and
 * the in-memory rate limiter keeps its buckets per instance too).
 */
public final class AuthVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AuthVerticle.class);
  private static final LongSupplier WALL_CLOCK = System::currentTimeMillis;
  /** The refusal of a revoked token (docs/PROTOCOL.md, Authentication). */
  static final String TOKEN_REVOKED = "token revoked";

  private final BiFunction<Vertx, AuthConfig, RateLimiter> rateLimiterFactory;
  private final AuthMetrics metrics;
  private AuthConfig settings;
  private TokenVerifier verifier;
  private DevTokenMinter minter;
  private RateLimiter rateLimiter;
  private RevokedTokens revoked;

  /**
   * The rate limiter the configuration asks for: a {@link RedisRateLimiter} shared by every node when
   * {@code SB_REDIS_URL} is set, else the single-node default, an {@link InMemoryRateLimiter}.
   */
  public AuthVerticle() {
    this(AuthMetrics.none());
  }

  /** The rate limiter the configuration asks for, recording into {@code metrics}. */
  public AuthVerticle(AuthMetrics metrics) {
    this((vertx, settings) -> settings.redisUrl() != null
        ? new RedisRateLimiter(vertx, settings.redisUrl(), settings.publishLimit(), WALL_CLOCK,
            RedisRateLimiter.KEY_PREFIX)
        : new InMemoryRateLimiter(settings.publishLimit(), WALL_CLOCK), metrics);
  }

  /** Uses the rate limiter {@code rateLimiterFactory} builds from this verticle's Vert.x and settings. */
  public AuthVerticle(BiFunction<Vertx, AuthConfig, RateLimiter> rateLimiterFactory) {
    this(rateLimiterFactory, AuthMetrics.none());
  }

  public AuthVerticle(BiFunction<Vertx, AuthConfig, RateLimiter> rateLimiterFactory, AuthMetrics metrics) {
    this.rateLimiterFactory = rateLimiterFactory;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    settings = AuthConfig.from(config());
    if (!settings.hasKey()) {
      settings = settings.withGeneratedSecret();
      LOG.warn("DEV MODE: no JWT key (SB_JWT_SECRET, SB_JWT_PUBLIC_KEY_FILE or SB_JWKS) is configured, so tokens"
          + " are signed with a secret generated at start (they stop working when the process ends); {}",
          settings.devTokens() ? "POST /dev/token mints tokens" : "SB_DEV_TOKENS is off, so no token can be obtained");
    }
    return JwtKeyRing.start(vertx, settings, WALL_CLOCK).compose(keys -> {
      verifier = new TokenVerifier(keys, settings.issuer(), settings.audience(), settings.leeway(), WALL_CLOCK);
      minter = devTokenMinter(keys.current());
      rateLimiter = rateLimiterFactory.apply(vertx, settings);
      revoked = RevokedTokens.of(vertx, settings, WALL_CLOCK);
      EventBus bus = vertx.eventBus();
      LOG.info("auth ready: {}", settings);
      return Future.all(
          bus.<VerifyRequest>consumer(Addresses.AUTH_VERIFY, this::verify).completion(),
          bus.<VerifyRequest>consumer(Addresses.AUTH_VERIFY_SESSION, this::verifySession).completion(),
          bus.<RateRequest>consumer(Addresses.AUTH_RATE, this::rate).completion(),
          bus.<DevTokenRequest>consumer(Addresses.AUTH_DEV_TOKEN, this::devToken).completion(),
          bus.<RevokeRequest>consumer(Addresses.AUTH_REVOKE, this::revoke).completion(),
          revoked.ready());
    });
  }

  /** The minter when dev tokens are on, or {@code null}: they are signed with the HS secret, and may lack one. */
  private DevTokenMinter devTokenMinter(JwtKeys keys) {
    if (!settings.devTokens()) {
      return null;
    }
    if (keys.signingAlgorithm() == null) {
      LOG.warn("SB_DEV_TOKENS is on, but only public keys are configured and they cannot sign: POST /dev/token"
          + " stays off (set SB_JWT_SECRET to mint dev tokens)");
      return null;
    }
    return new DevTokenMinter(keys, settings.issuer(), settings.audience(), WALL_CLOCK);
  }

  @Override
  public Future<?> stop() {
    return Future.all(rateLimiter == null ? Future.succeededFuture() : rateLimiter.close(),
        revoked == null ? Future.succeededFuture() : revoked.close());
  }

  private void verify(Message<VerifyRequest> message) {
    reply(message, verifier.verify(message.body().token()).compose(this::unlessRevoked)
        .onFailure(refused -> metrics.refused(refused.getMessage())));
  }

  private void verifySession(Message<VerifyRequest> message) {
    reply(message, verifier.verifySession(message.body().token())
        .compose(grant -> unlessRevoked(grant.tokenId(), grant))
        .onFailure(refused -> metrics.refused(refused.getMessage())));
  }

  private Future<Principal> unlessRevoked(Principal principal) {
    return unlessRevoked(principal.tokenId(), principal);
  }

  /**
   * Refuses a token an operator revoked. A revocation store that cannot answer lets the token through, as the rate
   * limiter does (a Redis outage should not lock every user out), and says so in the log.
   */
  private <T> Future<T> unlessRevoked(String tokenId, T verified) {
    if (tokenId == null) {
      return Future.succeededFuture(verified);
    }
    return revoked.isRevoked(tokenId).transform(ar -> {
      if (ar.failed()) {
        LOG.warn("revoked tokens unavailable, accepting the token unchecked: {}", ar.cause().toString());
        return Future.succeededFuture(verified);
      }
      return ar.result() ? Future.failedFuture(ErrorCode.UNAUTHORIZED.exception(TOKEN_REVOKED))
          : Future.succeededFuture(verified);
    });
  }

  private void revoke(Message<RevokeRequest> message) {
    RevokeRequest request = message.body();
    reply(message, revoked.revoke(request.tokenId(), request.expiresAt()).transform(ar -> ar.succeeded()
        ? Future.succeededFuture()
        : Future.failedFuture(ErrorCode.UNAVAILABLE.exception("the revoked-token store is unavailable"))));
  }

  private void rate(Message<RateRequest> message) {
    RateRequest request = message.body();
    if (request.userId() == null) {
      message.reply(ErrorCode.BAD_REQUEST.exception("userId is required"));
      return;
    }
    Future<RateResult> charged;
    if (request.namespace() == null) {
      charged = rateLimiter.tryAcquire(request.userId(), request.cost());
    } else {
      RateLimit limit;
      try {
        limit = new RateLimit(request.perMinute(), request.burst());
      } catch (IllegalArgumentException e) {
        message.reply(ErrorCode.BAD_REQUEST.exception("a namespace's publishRate and publishBurst must be at"
            + " least 1"));
        return;
      }
      charged = rateLimiter.tryAcquire(namespaceKey(request.namespace(), request.userId()), request.cost(), limit);
    }
    charged.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else if (ar.cause() instanceof IllegalArgumentException badCost) {
        message.reply(ErrorCode.BAD_REQUEST.exception(badCost.getMessage()));
      } else {
        // The limit protects capacity, not secrets: a limiter outage should not stop every publish.
        metrics.limiterFailed();
        LOG.warn("rate limiter unavailable, allowing the request: {}", ar.cause().toString());
        message.reply(RateResult.ALLOWED);
      }
    });
  }

  /**
   * The bucket of a user's publishes in a namespace, apart from their global one (keyed by the user id alone): a NUL
   * and the namespace first, which a user id (a token's {@code sub}) does not start with.
   */
  static String namespaceKey(String namespace, String userId) {
    return "\u0000" + namespace + "\u0000" + userId;
  }

  private void devToken(Message<DevTokenRequest> message) {
    if (minter == null) {
      message.reply(ErrorCode.NOT_FOUND.exception("dev tokens are disabled on this node"));
      return;
    }
    reply(message, minter.mint(message.body()));
  }

  /** Replies with the outcome: catalogue failures as they are, anything unexpected as {@code internal}. */
  private static void reply(Message<?> message, Future<?> outcome) {
    outcome.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else if (ar.cause() instanceof ReplyException failure) {
        message.reply(failure);
      } else {
        LOG.error("auth request on {} failed", message.address(), ar.cause());
        message.reply(ErrorCode.INTERNAL.exception("internal error"));
      }
    });
  }
}
