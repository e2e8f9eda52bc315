package dev.switchboard.auth;

import dev.switchboard.protocol.CallerContext;
import dev.switchboard.protocol.RedisClients;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Tokens an operator revoked by {@code jti} (docs/PROTOCOL.md, Control API), each kept until it would have expired
 * anyway, so the list never grows past the tokens still alive. Shared by every node: in Redis when {@code
 * SB_REDIS_URL} is set (key {@code sb:revoked:<jti>}, expiring with the token), else in Vert.x's cluster-wide map
 * (Hazelcast in a cluster, this process alone on a single node; an entry expires with the token too).
 */
interface RevokedTokens {

  /** The longest a check waits for the store: a connect or a publish is held while it waits. */
  long TIMEOUT_MS = 1000;

  /**
   * Completes once the store has been reached (or could not be: it never fails), so that the first check does not
   * pay for opening a connection within its {@link #TIMEOUT_MS}.
   */
  default Future<Void> ready() {
    return Future.succeededFuture();
  }

  /** Revokes {@code tokenId} until {@code expiresAt} (milliseconds since the epoch). */
  Future<Void> revoke(String tokenId, long expiresAt);

  /** Whether {@code tokenId} is revoked. */
  Future<Boolean> isRevoked(String tokenId);

  Future<Void> close();

  /** The store the configuration asks for. */
  static RevokedTokens of(Vertx vertx, AuthConfig settings, LongSupplier clock) {
    return settings.redisUrl() != null ? new InRedis(vertx, settings.redisUrl(), clock) : new InClusterMap(vertx, clock);
  }

  /** In Redis, shared by every node that uses it. */
  final class InRedis implements RevokedTokens {

    static final String KEY_PREFIX = "sb:revoked:";
    private final Vertx vertx;
    private final Redis redis;
    private final LongSupplier clock;
    private final Future<Void> warm;

    InRedis(Vertx vertx, String url, LongSupplier clock) {
      this.vertx = vertx;
      this.redis = RedisClients.create(vertx, url, 4, 1024);
      this.clock = clock;
      this.warm = redis.connect().compose(RedisConnection::close).otherwiseEmpty();
    }

    @Override
    public Future<Void> ready() {
      return warm;
    }

    @Override
    public Future<Void> revoke(String tokenId, long expiresAt) {
      long ttl = expiresAt - clock.getAsLong();
      if (ttl <= 0) {
        return Future.succeededFuture();
      }
      return onCaller(redis.send(Request.cmd(Command.SET).arg(KEY_PREFIX + tokenId).arg("1").arg("PX").arg(ttl))
          .<Void>mapEmpty());
    }

    @Override
    public Future<Boolean> isRevoked(String tokenId) {
      return onCaller(redis.send(Request.cmd(Command.EXISTS).arg(KEY_PREFIX + tokenId))
          .map(answer -> answer != null && answer.toInteger() > 0));
    }

    @Override
    public Future<Void> close() {
      return redis.close();
    }

    private <T> Future<T> onCaller(Future<T> call) {
      Context caller = vertx.getOrCreateContext();
      return CallerContext.completeOn(caller, call.timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS));
    }
  }

  /** In Vert.x's shared data: cluster-wide when clustered. */
  final class InClusterMap implements RevokedTokens {

    static final String MAP = "switchboard.revoked";
    private final Future<AsyncMap<String, Long>> map;
    private final LongSupplier clock;

    InClusterMap(Vertx vertx, LongSupplier clock) {
      this.map = vertx.sharedData().getAsyncMap(MAP);
      this.clock = clock;
    }

    @Override
    public Future<Void> revoke(String tokenId, long expiresAt) {
      long ttl = expiresAt - clock.getAsLong();
      return ttl <= 0 ? Future.succeededFuture() : map.compose(m -> m.put(tokenId, expiresAt, ttl));
    }

    @Override
    public Future<Boolean> isRevoked(String tokenId) {
      return map.compose(m -> m.get(tokenId)).map(until -> until != null && until > clock.getAsLong())
          .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
