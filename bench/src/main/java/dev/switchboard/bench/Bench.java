package dev.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code java -jar bench/target/switchboard-bench.jar SCENARIO [--option value ...]}: load against a running server
 * on loopback, bounded in time and count, with one JSON line of results per measured cell on stdout and progress on
 * stderr.
 */
public final class Bench {

  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-")) {
      usage();
      System.exit(2);
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        usage();
        System.exit(2);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    BenchOptions common = new BenchOptions(options);
    if (args[0].equals("report")) {
      new Report(common).write();
      System.exit(0);
    }
    if (args[0].equals("idle")) {
      new IdleBench(common).run();
      System.exit(0);
    }
    if (args[0].equals("crowd")) {
      new CrowdBench(common).run();
      System.exit(0);
    }
    if (args[0].equals("crowd-worker")) {
      CrowdBench.worker(common);
      System.exit(0);
    }
    if (args[0].equals("idle-worker")) {
      IdleBench.worker(common);
      System.exit(0);
    }
    if (args[0].equals("abuse-attacker")) {
      AbuseAttacker.run(common);
      System.exit(0);
    }
    if (args[0].equals("java-client")) {
      new JavaClientBench(common).run();
      System.exit(0);
    }
    if (args[0].equals("transport")) {
      new TransportBench(common).run();
      System.exit(0);
    }
    if (args[0].equals("txpublish")) {
      new TxPublishBench(common).run();
      System.exit(0);
    }
    if (args[0].equals("append")) {
      new AppendBench(common).run();
      System.exit(0);
    }
    // One event loop: the generator is pinned to one core, where a second loop would only take turns with the first.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(common.integer("loops", 1)));
    String targetName = common.string("target", "switchboard");
    Target target = Target.of(targetName, targetName.equals("switchboard") ? common.token(vertx) : null);
    Connector connector = new Connector(vertx, common, target, common.integer("source", 1));
    switch (args[0]) {
      case "fanout" -> new FanoutBench(common, vertx, connector).fanout();
      case "maxrate" -> new FanoutBench(common, vertx, connector).maxrate();
      case "rooms" -> new FanoutBench(common, vertx, connector).rooms();
      case "storm" -> new StormBench(common, vertx, connector).run();
      case "abuse" -> new AbuseBench(common, vertx, connector).run();
      default -> {
        usage();
        System.exit(2);
      }
    }
    System.exit(0);
  }

  private static void usage() {
    System.err.println("""
        usage: switchboard-bench SCENARIO [--option value ...]
          common:  --target switchboard|socketio --host 127.0.0.1 --port 8080 --server-pid PID (server CPU, RSS
                   and read/write syscalls from /proc) --seconds 10 (per measured round) --warmup 5 (unmeasured
                   seconds of the same load first) --rounds 1 --payload 200 (filler bytes) --per-source 5000
                   (connections per 127.0.0.x source address) --source 1 (first x) --token JWT (default: minted
                   with POST /dev/token)
          fanout:  --subscribers 100,500 --rates 10,150,1000 --max-deliveries 600000 (skips larger N x R)
          maxrate: --subscribers 500 --rates 100,150,200,... --p99-limit-ms 100
          rooms:   --subscribers 10000 --sessions 1000 --publishers 100 --rates 1000
          idle:    --connections 10000 --per-process 10000 --settle 0 --hold 12 --client-ping-sec 0 --sessions 1000
          storm:   --subscribers 10000 --sessions 10 --rate 50 --policy client|fixed|legacy --restart-cmd CMD
                   (Switchboard only)
          crowd:   --ports 8081,8082 (every edge) --node-pids P1,P2 --connections 100000 --per-process 17000
                   --rate 1 --seconds 60 (Switchboard only; bench/crowd.sh starts the cluster)
          transport: --tls true|false --deflate true|false --connections 1000 --events 100 --rate 20
                   --payload 1024 --history 0 --label NAME (Switchboard only; bench/transport.sh runs the cells)
          append:  --connections 8 --inflight 32 --sessions 8 --payload 200 (Switchboard only)
          txpublish: --connections 8 --jdbc-url jdbc:postgresql://127.0.0.1:5432/DB?user=postgres (the node's
                   database) --payload 200: transactions with and without sb_publish, then REST publishes
                   (Switchboard on PostgreSQL only; bench/txpublish.sh)
          java-client: --events 20000 (backlog one client receives, per transport) --payload 200 --clients 50
                   (the Java client of clients/java; bench/README-java-client.md)
          abuse:   --attacks half-open,silent,slow-body,flood,presence,poll --seconds 5 (per phase: baseline,
                   during, after) --warmup 5 --subscribers 20 --rate 50 --payload 100 --attacker-source 2
                   (attacks come from 127.0.0.2) --sockets 2000 (half-open, silent, slow-body) --polls 2000
                   --flood 20 --flood-frame-bytes 60000 --users 2000 (presence); at most 3000 sockets per attack;
                   --server-core 0 (the node's core: what else ran there); the node keeps its own limits but
                   SB_PUBLISH_RATE=0 (bench/abuse.sh)
          report:  --results DIR (results.jsonl in, results.json, results.md and charts out)
        The Switchboard node must run with SB_PUBLISH_RATE=0, SB_MAX_FRAMES_PER_SEC and
        SB_MAX_INBOUND_BYTES_PER_SEC raised; bench/run-all.sh starts both servers as the benchmarks need them.""");
  }
}
