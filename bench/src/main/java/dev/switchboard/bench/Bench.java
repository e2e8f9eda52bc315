package dev.switchboard.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code java -jar bench/target/switchboard-bench.jar fanout|append [--option value ...]}: load against a running
 * node on loopback, bounded in time, with results as a JSON line on stdout and progress on stderr.
 */
public final class Bench {

  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-")) {
      usage();
      return;
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        usage();
        return;
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    BenchOptions common = new BenchOptions(options);
    switch (args[0]) {
      case "fanout" -> new FanoutBench(common).run();
      case "append" -> new AppendBench(common).run();
      default -> usage();
    }
    System.exit(0);
  }

  private static void usage() {
    System.err.println("""
        usage: switchboard-bench fanout|append [--option value ...]
          common:  --host 127.0.0.1 --port 8080 --token JWT (default: minted with POST /dev/token)
                   --seconds 10 --warmup 5 --server-pid PID (adds server CPU per delivery, from /proc)
          fanout:  --subscribers 500 --rate 150 (events/s) --payload 200 (bytes of filler)
          append:  --connections 8 --inflight 32 --sessions 8 --payload 200
        The node must run with SB_PUBLISH_RATE=0 (no per-user publish limit).""");
  }
}
