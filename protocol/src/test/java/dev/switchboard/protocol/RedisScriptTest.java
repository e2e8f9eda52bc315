package dev.switchboard.protocol;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.switchboard.protocol.Await.failure;
import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class RedisScriptTest {

  /** The commands sent, in order. */
  private final List<Command> sent = new ArrayList<>();
  private Redis redis;

  @BeforeEach
  void connect(Vertx vertx) {
    redis = RedisClients.create(vertx, TestRedis.url(), 1, 16);
  }

  @AfterEach
  void close() {
    result(redis.close());
  }

  @Test
  void sendsTheWholeScriptOnceThenOnlyItsDigest() {
    // A script no Redis has seen: its text differs from every other run's.
    RedisScript script = new RedisScript("return {KEYS[1], ARGV[1], ARGV[2]} -- " + UUID.randomUUID());

    Response first = result(script.run(this::send, List.of("k"), List.of("a", "b")));
    Response second = result(script.run(this::send, List.of("k"), List.of("a", "b")));

    assertEquals(List.of("k", "a", "b"), strings(first));
    assertEquals(List.of("k", "a", "b"), strings(second));
    assertEquals(List.of(Command.EVALSHA, Command.EVAL, Command.EVALSHA), sent);
  }

  @Test
  void passesOtherFailuresOnWithoutSendingTheScriptAgain() {
    RedisScript script = new RedisScript("return redis.call('NO_SUCH_COMMAND') -- " + UUID.randomUUID());
    failure(script.run(this::send, List.of(), List.of()));
    sent.clear();

    Throwable failed = failure(script.run(this::send, List.of(), List.of()));

    assertTrue(failed.getMessage() != null && !failed.getMessage().startsWith("NOSCRIPT"), failed.toString());
    assertEquals(List.of(Command.EVALSHA), sent);
  }

  private Future<Response> send(Request request) {
    sent.add(request.command());
    return redis.send(request);
  }

  private static List<String> strings(Response array) {
    List<String> strings = new ArrayList<>();
    array.forEach(item -> strings.add(item.toString()));
    return strings;
  }
}
