package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One attack of the abuse benchmark ({@link AbuseBench}), run by the attacker process from one loopback address
 * against the node. Every attack is bounded: at most {@link #MAX_SOCKETS} sockets at a time, replaced no faster than
 * its own pause after a loss, and it stops when told.
 *
 * <p>Its methods are called on the attacker's event loop, except {@link #figures()}, called once it has stopped.
 */
interface Attack {

  /** What an attack may hold at once: far below the 20,000 open files one process may have here. */
  int MAX_SOCKETS = 3000;

  /** Every attack, in the order of a full run. */
  List<String> NAMES = List.of("half-open", "silent", "slow-body", "flood", "presence", "poll");

  /** Gets ready to start (tokens minted, frames built); the attack must not touch the node's sockets yet. */
  default Future<Void> arm() {
    return Future.succeededFuture();
  }

  /** Starts the attack; it runs until {@link #stop()}. */
  void start();

  /** Stops attacking and closes every socket; completes once they are closed, or after 10 s. */
  Future<Void> stop();

  /** Figures of this attack's own, beside the ledger's (bytes sent, joins made). */
  default JsonObject figures() {
    return new JsonObject();
  }

  /**
   * The attack {@code name} of {@link #NAMES}, from {@code 127.0.0.<--source>}, as the user of {@code token} where it
   * needs one, counting into {@code ledger}.
   */
  static Attack of(String name, Vertx vertx, BenchOptions options, String token, AttackLedger ledger) {
    String source = "127.0.0." + options.integer("source", 2);
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true)
        .setLocalAddress(source));
    int sockets = bounded(options.integer("sockets", 2000));
    return switch (name) {
      case "half-open" -> RawSocketAttack.halfOpenHeaders(vertx, client, options, ledger, sockets);
      case "silent" -> RawSocketAttack.silent(vertx, client, options, ledger, sockets);
      case "slow-body" -> RawSocketAttack.slowBody(vertx, client, options, token, ledger, sockets);
      case "poll" -> RawSocketAttack.longPolls(vertx, client, options, token, ledger,
          bounded(options.integer("polls", 2000)));
      case "flood" -> new ByteFloodAttack(vertx, client, options, token, ledger, bounded(options.integer("flood", 20)));
      case "presence" -> new PresenceStormAttack(vertx, client, options, ledger,
          bounded(options.integer("users", 2000)));
      default -> throw new IllegalArgumentException("no attack " + name + "; there are " + NAMES);
    };
  }

  /** Completes once {@code ledger} counts no open socket, polling every 50 ms, or after 10 s in any case. */
  static Future<Void> allClosed(Vertx vertx, AttackLedger ledger) {
    Promise<Void> closed = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long[] timer = {0};
    timer[0] = vertx.setPeriodic(50, t -> {
      if (ledger.open() <= 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(timer[0]);
        closed.tryComplete();
      }
    });
    return closed.future();
  }

  private static int bounded(int count) {
    if (count < 1 || count > MAX_SOCKETS) {
      throw new IllegalArgumentException("an attack holds 1-" + MAX_SOCKETS + " sockets, not " + count);
    }
    return count;
  }
}
