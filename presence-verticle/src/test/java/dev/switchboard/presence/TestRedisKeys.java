package dev.switchboard.presence;

import dev.switchboard.protocol.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import static dev.switchboard.protocol.Await.result;

/** Removes what a test left in the shared test Redis under its own key prefix. */
final class TestRedisKeys {

  private TestRedisKeys() {
  }

  static void delete(Vertx vertx, String prefix) {
    Redis redis = Redis.createClient(vertx, TestRedis.url());
    try {
      String cursor = "0";
      do {
        Response page = result(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
            .arg("COUNT").arg(1000)));
        cursor = page.get(0).toString();
        Request del = Request.cmd(Command.DEL);
        for (Response key : page.get(1)) {
          del.arg(key.toString());
        }
        if (page.get(1).size() > 0) {
          result(redis.send(del));
        }
      } while (!"0".equals(cursor));
    } finally {
      result(redis.close().recover(e -> Future.succeededFuture()));
    }
  }
}
