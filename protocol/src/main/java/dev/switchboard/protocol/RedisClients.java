package dev.switchboard.protocol;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * The Redis client of every role that keeps state in Redis (auth's rate limits, presence), built one way. The URL
 * carries the rest: {@code rediss://} turns TLS on, {@code redis://:password@host:port/db} the password and database.
 *
 * <p>Needs vertx-redis-client, which this module declares optional: a module that uses this class declares it too.
 */
public final class RedisClients {

  /** How long opening a connection may take; a Redis that does not accept fails the call instead of holding it. */
  static final int CONNECT_TIMEOUT_MS = 1000;

  private RedisClients() {
  }

  /**
   * A pooled client for {@code url}. Connections open on first use (and again after one breaks), so creating it never
   * fails for a Redis that cannot be reached; the calls do.
   *
   * @param poolSize   connections at most; each call holds one for its round trip
   * @param maxWaiting calls queued for a connection at most; beyond that a call fails at once
   */
  public static Redis create(Vertx vertx, String url, int poolSize, int maxWaiting) {
    return Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(maxWaiting)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout(CONNECT_TIMEOUT_MS)
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true)));
  }
}
