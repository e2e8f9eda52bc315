package dev.switchboard.auth;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.RateRequest;
import dev.switchboard.protocol.RateResult;
import dev.switchboard.protocol.TestRedis;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.switchboard.auth.HandSignedTokens.SECRET;
import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class RedisRateLimiterTest extends RateLimiterContract {

  /** This test's keys, apart from every other test's on a shared Redis. */
  private final String prefix = "test:" + UUID.randomUUID() + ":";
  private final List<RateLimiter> limiters = new ArrayList<>();
  private Vertx vertx;
  private Redis redis;

  @BeforeEach
  void connect(Vertx vertx) {
    this.vertx = vertx;
    redis = Redis.createClient(vertx, TestRedis.url());
  }

  @AfterEach
  void close() {
    limiters.forEach(limiter -> result(limiter.close()));
    result(redis.close());
  }

  @Test
  void keepsOneBucketPerKeyThatExpiresOnceItWouldBeFull() {
    RateLimiter limiter = limiter(60, 3);

    assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"));
    drain(limiter, "bob", 3);

    assertFalse(acquire(limiter, "bob").allowed());
    assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"), "ada's bucket is her own");
    long adaTtl = redis(Request.cmd(Command.PTTL).arg(prefix + "ada")).toLong();
    long bobTtl = redis(Request.cmd(Command.PTTL).arg(prefix + "bob")).toLong();
    // Full again after the time to regain what was taken: 2 tokens, 3 tokens at one per second.
    assertTrue(adaTtl > 0 && adaTtl <= 2000, "ada's bucket expires within 2 s, PTTL " + adaTtl);
    assertTrue(bobTtl > 1000 && bobTtl <= 3000, "bob's bucket expires within 3 s, PTTL " + bobTtl);
  }

  @Test
  void sharesOneBudgetBetweenLimitersOfDifferentNodes() {
    Vertx otherNode = Vertx.vertx();
    try {
      RateLimiter here = limiter(60, 20);
      RateLimiter there = track(new RedisRateLimiter(otherNode, TestRedis.url(), new RateLimit(60, 20), now::get,
          prefix));
      List<Future<RateResult>> checks = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        checks.add((i % 2 == 0 ? here : there).tryAcquire("ada", 1));
      }

      List<RateResult> results = result(Future.all(checks)).list();

      assertEquals(20, results.stream().filter(RateResult::allowed).count(), "one burst for both nodes");
      now.addAndGet(1000);
      assertEquals(RateResult.ALLOWED, acquire(there, "ada"));
      assertEquals(new RateResult(false, 1000), acquire(here, "ada"));
    } finally {
      limiters.forEach(limiter -> result(limiter.close()));
      limiters.clear();
      result(otherNode.close());
    }
  }

  @Test
  void zeroRateMeansNoLimitAndNoRoundTrip() {
    RateLimiter limiter = track(new RedisRateLimiter(vertx, "redis://127.0.0.1:" + closedPort(), new RateLimit(0, 0),
        now::get, prefix));

    assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"));
  }

  @Test
  void failsWhenRedisCannotBeReached() {
    RateLimiter limiter = track(new RedisRateLimiter(vertx, "redis://127.0.0.1:" + closedPort(),
        new RateLimit(60, 3), now::get, prefix));

    Throwable unreachable = failure(limiter.tryAcquire("ada", 1));

    assertFalse(unreachable instanceof IllegalArgumentException, unreachable.toString());
  }

  @Test
  void loadsTheScriptIntoAServerThatHasNotSeenIt() throws IOException {
    int port = closedPort();
    RedisServer fresh = RedisServer.builder().port(port).bind("127.0.0.1").build();
    fresh.start();
    try {
      RateLimiter limiter = track(new RedisRateLimiter(vertx, "redis://127.0.0.1:" + port, new RateLimit(60, 2),
          now::get, prefix));

      assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"));
      assertEquals(RateResult.ALLOWED, acquire(limiter, "ada"));
      assertEquals(new RateResult(false, 1000), acquire(limiter, "ada"));
    } finally {
      limiters.forEach(limiter -> result(limiter.close()));
      limiters.clear();
      fresh.stop();
    }
  }

  @Test
  void authNodesGivenSbRedisUrlShareOneBudgetPerUser() {
    Vertx otherNode = Vertx.vertx();
    try {
      JsonObject config = new JsonObject().put("SB_JWT_SECRET", SECRET).put("SB_REDIS_URL", TestRedis.url())
          .put("SB_PUBLISH_RATE", 1).put("SB_PUBLISH_BURST", 3);
      for (Vertx node : List.of(vertx, otherNode)) {
        result(node.deployVerticle(new AuthVerticle(), new DeploymentOptions().setConfig(config)));
      }
      String user = "user-" + UUID.randomUUID();

      List<RateResult> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Vertx node = i % 2 == 0 ? vertx : otherNode;
        answers.add(result(node.eventBus().<RateResult>request(Addresses.AUTH_RATE, new RateRequest(user, 1))).body());
      }

      assertEquals(List.of(true, true, true, false), answers.stream().map(RateResult::allowed).toList());
      long retryAfterMs = answers.get(3).retryAfterMs();
      assertTrue(retryAfterMs > 0 && retryAfterMs <= 60_000, "one token a minute, retry after " + retryAfterMs);
      assertNotNull(redis(Request.cmd(Command.HGET).arg(RedisRateLimiter.KEY_PREFIX + user).arg("tokens")));
    } finally {
      result(otherNode.close());
    }
  }

  @Override
  protected RateLimiter limiter(int perMinute, int burst) {
    return warmedUp(track(new RedisRateLimiter(vertx, TestRedis.url(), new RateLimit(perMinute, burst), now::get,
        prefix)));
  }

  /**
   * A limiter whose connection is open and whose script Redis knows: a first check connects and loads the script
   * within the limiter's 1 s budget, which a loaded build machine can miss. The contract is about the answers, not
   * about how fast the first one comes.
   */
  private static RateLimiter warmedUp(RateLimiter limiter) {
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        limiter.tryAcquire("warm-up-" + UUID.randomUUID(), 1).await();
        break;
      } catch (Exception slowFirstCheck) {
        // connect and script load took longer than the limiter waits: try again on the open connection
      }
    }
    return limiter;
  }

  private RateLimiter track(RateLimiter limiter) {
    limiters.add(limiter);
    return limiter;
  }

  private Response redis(Request request) {
    return result(redis.send(request));
  }

  /** A loopback port nothing listens on (it was free a moment ago). */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
