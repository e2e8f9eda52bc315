package dev.switchboard.protocol;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * A Lua script run on Redis by its SHA-1: {@code EVALSHA}, and {@code EVAL} with the whole text only when the server
 * answers {@code NOSCRIPT} (it has not seen the script since it started or flushed its script cache). One script
 * call is atomic on the server.
 *
 * <p>Needs vertx-redis-client, which this module declares optional: a module that uses this class declares it too.
 */
public final class RedisScript {

  private final String source;
  private final String sha1;

  public RedisScript(String source) {
    this.source = source;
    this.sha1 = sha1(source);
  }

  /**
   * Runs the script with {@code keys} as {@code KEYS} and {@code args} as {@code ARGV}.
   *
   * @param send sends one command; the caller's timeout and context apply to each of the (at most two) commands
   */
  public Future<Response> run(Function<Request, Future<Response>> send, List<String> keys, List<String> args) {
    return send.apply(request(Command.EVALSHA, keys, args))
        .recover(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")
            ? send.apply(request(Command.EVAL, keys, args))
            : Future.failedFuture(e));
  }

  private Request request(Command command, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(command == Command.EVALSHA ? sha1 : source).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static String sha1(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }
}
