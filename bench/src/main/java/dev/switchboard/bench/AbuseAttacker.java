package dev.switchboard.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The attacker process of the abuse benchmark ({@code Bench abuse-attacker --attack NAME ...}): one {@link Attack}
 * from its own loopback address, steered line by line on stdin by {@link AttackerProcess}. It answers
 * {@code {"armed":true}} once ready, starts on {@code go}, and on {@code stop} (or when stdin ends) closes its sockets
 * and answers what it saw; after {@code --deadline} seconds it stops and exits on its own.
 */
final class AbuseAttacker {

  private AbuseAttacker() {
  }

  static void run(BenchOptions options) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Context loop = vertx.getOrCreateContext();
    Thread deadline = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.integer("deadline", 120)));
        System.err.println("abuse attacker: deadline passed, exiting");
        Runtime.getRuntime().halt(3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    deadline.setDaemon(true);
    deadline.start();

    String name = options.string("attack", "silent");
    WebClient web = WebClient.create(vertx);
    // The attacker's own user: a token that may read and publish to its own sessions only.
    String token = DevTokens.mint(web, options, "abuser", new JsonArray().add("abuse-*"),
        new JsonArray().add("abuse-*")).await(30, TimeUnit.SECONDS);
    web.close();
    AttackLedger ledger = new AttackLedger();
    Attack attack = Attack.of(name, vertx, options, token, ledger);
    on(loop, attack::arm).await(120, TimeUnit.SECONDS);
    answer(new JsonObject().put("armed", true));

    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in));
    boolean started = false;
    for (String line = commands.readLine(); line != null && !line.equals("stop"); line = commands.readLine()) {
      if (line.equals("go") && !started) {
        started = true;
        on(loop, () -> {
          attack.start();
          return Future.succeededFuture();
        });
      }
    }
    on(loop, attack::stop).await(20, TimeUnit.SECONDS);
    answer(new JsonObject().put("attack", name).put("source", "127.0.0." + options.integer("source", 2))
        .mergeIn(ledger.figures()).mergeIn(on(loop, () -> Future.succeededFuture(attack.figures()))
            .await(5, TimeUnit.SECONDS)));
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Runs {@code step} on the attacker's event loop, where every attack lives. */
  private static <T> Future<T> on(Context loop, Supplier<Future<T>> step) {
    Promise<T> done = Promise.promise();
    loop.runOnContext(v -> step.get().onComplete(done));
    return done.future();
  }

  private static void answer(JsonObject line) {
    System.out.println(line.encode());
    System.out.flush();
  }
}
