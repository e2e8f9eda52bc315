package dev.switchboard.presence;

import dev.switchboard.protocol.TestRedis;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;

import java.util.UUID;

import static dev.switchboard.protocol.Await.result;

class RedisPresenceStoreTest extends PresenceStoreContract {

  private String prefix;

  @Override
  protected PresenceStore newStore(Vertx vertx) {
    // A prefix of its own per test: the Redis may be shared with other tests and other runs.
    prefix = "sb-test:" + UUID.randomUUID() + ":";
    return new RedisPresenceStore(vertx, TestRedis.url(), prefix);
  }

  @AfterEach
  void closeStore(Vertx vertx) {
    result(store.close());
    TestRedisKeys.delete(vertx, prefix);
  }
}
