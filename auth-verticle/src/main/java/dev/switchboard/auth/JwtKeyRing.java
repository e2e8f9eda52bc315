package dev.switchboard.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The keys tokens are checked against right now: the configured ones plus the last good JWKS, swapped whole when a
 * refresh brings a new set, so a verification never sees half of one.
 *
 * <p>With {@code SB_JWKS} set, the set is read again every {@code SB_JWKS_REFRESH} and, at most once per
 * {@link #ON_DEMAND_INTERVAL}, as soon as a token names a key that is not known here (the issuer has rotated its
 * keys). A failed refresh keeps the keys loaded before and logs a warning. Safe to use from any thread.
 */
public final class JwtKeyRing {

  /** Unknown kids cost an attacker nothing, so they must not make this node hammer the identity provider. */
  static final Duration ON_DEMAND_INTERVAL = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(JwtKeyRing.class);

  private final JwtKeys configured;
  private final JwksSource source;
  private final LongSupplier clock;
  private final AtomicReference<JwtKeys> current;
  /** When the last refresh started, by {@link #clock}; guarded by this. */
  private long lastAttemptMs;
  /** The refresh under way, which concurrent callers share; guarded by this. */
  private Future<JwtKeys> inFlight;

  private JwtKeyRing(JwtKeys configured, JwtKeys initial, JwksSource source, LongSupplier clock, long loadedMs) {
    this.configured = configured;
    this.current = new AtomicReference<>(initial);
    this.source = source;
    this.clock = clock;
    this.lastAttemptMs = loadedMs;
  }

  /** A ring that never changes, for keys without a JWKS. */
  public static JwtKeyRing fixed(JwtKeys keys) {
    return new JwtKeyRing(keys, keys, null, () -> 0, 0);
  }

  /**
   * Loads the configured keys and, with {@code SB_JWKS}, the JWKS, then keeps the JWKS fresh (on a timer of the
   * caller's context, so it stops when that verticle is undeployed). Fails when a key cannot be read, including the
   * first JWKS read: a wrong path or URL should stop the start, not refuse every token.
   *
   * @param clock the current time in milliseconds, for spacing refreshes triggered by unknown keys
   */
  public static Future<JwtKeyRing> start(Vertx vertx, AuthConfig config, LongSupplier clock) {
    // executeBlocking: the PEM file is read from disk.
    return vertx.executeBlocking(() -> JwtKeys.from(vertx, config)).compose(configured -> {
      if (config.jwks() == null) {
        return Future.succeededFuture(fixed(configured));
      }
      JwksSource source = JwksSource.of(vertx, config.jwks());
      long loadedMs = clock.getAsLong();
      return source.fetch().map(configured::withJwks)
          .recover(e -> Future.failedFuture(new IllegalArgumentException("SB_JWKS " + source + ": " + e.getMessage())))
          .map(initial -> {
            LOG.info("JWKS from {}: {}", source, initial);
            JwtKeyRing ring = new JwtKeyRing(configured, initial, source, clock, loadedMs);
            vertx.setPeriodic(config.jwksRefresh().toMillis(), timer -> ring.refresh());
            return ring;
          });
    });
  }

  /** The keys in force now. */
  public JwtKeys current() {
    return current.get();
  }

  /**
   * For a token naming a key not known here: the keys after reading the JWKS again, or the current ones without a
   * JWKS or when the last read started less than {@link #ON_DEMAND_INTERVAL} ago. Never fails.
   */
  public Future<JwtKeys> refreshForUnknownKey() {
    synchronized (this) {
      if (source == null) {
        return Future.succeededFuture(current.get());
      }
      if (inFlight != null) {
        return inFlight;
      }
      if (clock.getAsLong() - lastAttemptMs < ON_DEMAND_INTERVAL.toMillis()) {
        return Future.succeededFuture(current.get());
      }
    }
    return refresh();
  }

  /** Reads the JWKS again now; completes with the keys in force afterwards, the earlier ones when the read failed. */
  private Future<JwtKeys> refresh() {
    Promise<JwtKeys> done = Promise.promise();
    synchronized (this) {
      if (inFlight != null) {
        return inFlight;
      }
      lastAttemptMs = clock.getAsLong();
      inFlight = done.future();
    }
    source.fetch().map(configured::withJwks).onComplete(fetched -> {
      if (fetched.succeeded()) {
        JwtKeys before = current.getAndSet(fetched.result());
        if (!before.toString().equals(fetched.result().toString())) {
          LOG.info("JWKS from {} changed: {}", source, fetched.result());
        }
      } else {
        LOG.warn("JWKS refresh from {} failed, keeping the keys loaded before ({}): {}", source, current.get(),
            fetched.cause().getMessage());
      }
      synchronized (this) {
        inFlight = null;
      }
      done.complete(current.get());
    });
    return done.future();
  }
}
