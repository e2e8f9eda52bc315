package dev.switchboard.auth;

import dev.switchboard.protocol.CallerContext;
import dev.switchboard.protocol.RateResult;
import dev.switchboard.protocol.RedisClients;
import dev.switchboard.protocol.RedisScript;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@inheritDoc}
 *
 * <p>Buckets live in Redis, so every node that shares it enforces one budget per key. A check is one round trip: a
 * Lua script that refills and charges the bucket atomically, sent as {@code EVALSHA} (and as {@code EVAL} when the
 * server has not seen the script yet). A bucket is a hash at {@code keyPrefix + key} that expires when it would have
 * refilled completely, so idle keys take no memory.
 *
 * <p>Time comes from the callers' clocks (nodes are expected to keep them in sync, as NTP does); a bucket never
 * refills backwards, so a node whose clock runs behind only refills it less. A Redis that cannot be reached, or that
 * does not answer within {@link #TIMEOUT_MS}, fails the future.
 */
public final class RedisRateLimiter implements RateLimiter {

  /** The prefix of bucket keys in production. */
  public static final String KEY_PREFIX = "sb:rate:";
  /** The longest a check waits for Redis: a publish is held while it waits. */
  static final long TIMEOUT_MS = 1000;

  /**
   * KEYS[1] the bucket; ARGV burst, tokens per millisecond, cost, now (ms). Answers {1, 0} when it charged the
   * cost, else {0, milliseconds until the bucket holds the cost} and changes nothing.
   */
  private static final RedisScript SCRIPT = new RedisScript("""
      local burst = tonumber(ARGV[1])
      local per_ms = tonumber(ARGV[2])
      local cost = tonumber(ARGV[3])
      local now = tonumber(ARGV[4])
      local tokens = burst
      local updated = now
      local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
      if state[1] then
        tokens = tonumber(state[1])
        updated = tonumber(state[2])
        if now > updated then
          tokens = math.min(burst, tokens + (now - updated) * per_ms)
          updated = now
        end
      end
      if tokens + 1e-9 < cost then
        return {0, math.max(1, math.ceil((cost - tokens) / per_ms))}
      end
      tokens = math.max(0, tokens - cost)
      redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens),
                 'updated', string.format('%.17g', updated))
      redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((burst - tokens) / per_ms)))
      return {1, 0}
      """);

  /** Each check holds a pooled connection for one round trip; these bound connections and queued checks. */
  private static final int POOL_SIZE = 8;
  private static final int MAX_WAITING = 1024;

  private final Vertx vertx;
  private final Redis redis;
  private final RateLimit limit;
  private final LongSupplier clock;
  private final String keyPrefix;

  /**
   * @param redisUrl  a {@code redis://} or {@code rediss://} URL
   * @param clock     the current time in milliseconds
   * @param keyPrefix prepended to every key ({@link #KEY_PREFIX} in production)
   */
  public RedisRateLimiter(Vertx vertx, String redisUrl, RateLimit limit, LongSupplier clock, String keyPrefix) {
    this.vertx = vertx;
    this.redis = RedisClients.create(vertx, redisUrl, POOL_SIZE, MAX_WAITING);
    this.limit = limit;
    this.clock = clock;
    this.keyPrefix = keyPrefix;
  }

  @Override
  public Future<RateResult> tryAcquire(String key, int cost) {
    return tryAcquire(key, cost, limit);
  }

  @Override
  public Future<RateResult> tryAcquire(String key, int cost, RateLimit limit) {
    if (limit.unlimited()) {
      return Future.succeededFuture(RateResult.ALLOWED);
    }
    if (cost < 1 || cost > limit.burst()) {
      return Future.failedFuture(new IllegalArgumentException("cost must be 1-" + limit.burst() + ", got " + cost));
    }
    Context caller = vertx.getOrCreateContext();
    List<String> args = List.of(Integer.toString(limit.burst()), Double.toString(limit.refillPerMs()),
        Integer.toString(cost), Long.toString(clock.getAsLong()));
    Future<RateResult> checked = SCRIPT.run(redis::send, List.of(keyPrefix + key), args)
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(RedisRateLimiter::toResult);
    return CallerContext.completeOn(caller, checked);
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  private static RateResult toResult(Response response) {
    return response.get(0).toInteger() == 1 ? RateResult.ALLOWED : new RateResult(false, response.get(1).toLong());
  }
}
