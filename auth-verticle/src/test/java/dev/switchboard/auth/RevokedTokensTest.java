package dev.switchboard.auth;

import dev.switchboard.protocol.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;

import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Revoked tokens are kept until they would have expired, in Redis and in Vert.x's shared map alike. */
@ExtendWith(VertxExtension.class)
class RevokedTokensTest {

  private final long now = System.currentTimeMillis();

  @Test
  void inRedisARevocationIsAKeyThatExpiresWithTheToken(Vertx vertx) {
    RevokedTokens store = new RevokedTokens.InRedis(vertx, TestRedis.url(), () -> now);
    String jti = UUID.randomUUID().toString();
    try {
      result(store.ready());
      assertRevokesUntilExpiry(store, jti);
      Redis redis = Redis.createClient(vertx, TestRedis.url());
      long ttl = result(redis.send(Request.cmd(Command.PTTL).arg(RevokedTokens.InRedis.KEY_PREFIX + jti))).toLong();
      result(redis.close());
      assertTrue(ttl > 50_000 && ttl <= 60_000, "kept until the token's exp, PTTL " + ttl);
    } finally {
      result(store.close());
    }
  }

  @Test
  void inTheSharedMapARevocationIsKeptUntilTheTokenExpires(Vertx vertx) {
    assertRevokesUntilExpiry(new RevokedTokens.InClusterMap(vertx, () -> now), UUID.randomUUID().toString());
  }

  private void assertRevokesUntilExpiry(RevokedTokens store, String jti) {
    assertFalse(result(store.isRevoked(jti)));
    result(store.revoke(jti, now + 60_000));
    assertTrue(result(store.isRevoked(jti)));
    assertFalse(result(store.isRevoked(jti + "-other")), "only that token");
    String expired = UUID.randomUUID().toString();
    result(store.revoke(expired, now - 1));
    assertFalse(result(store.isRevoked(expired)), "a token past its exp needs no revocation: nothing is kept");
    assertEquals(Boolean.TRUE, result(store.isRevoked(jti)));
  }
}
