package dev.switchboard.bench.cluster;

import dev.switchboard.bench.OptionPairs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** What a chaos run is asked for, from {@code --name value} pairs (see bench/chaos.sh for the list and defaults). */
record ChaosSettings(double minutes, int nodes, int subscribers, int sessions, int rate, int killEverySec,
                     int ssePercent, int basePort, Path out, String pgUrl, String redisUrl, String jar) {

  static ChaosSettings parse(String[] args) {
    Map<String, String> options = OptionPairs.parse(args);
    return new ChaosSettings(
        Double.parseDouble(options.getOrDefault("minutes", "10")),
        Integer.parseInt(options.getOrDefault("nodes", "3")),
        Integer.parseInt(options.getOrDefault("subscribers", "2000")),
        Integer.parseInt(options.getOrDefault("sessions", "20")),
        Integer.parseInt(options.getOrDefault("rate", "50")),
        Integer.parseInt(options.getOrDefault("kill-every", "60")),
        Integer.parseInt(options.getOrDefault("sse-percent", "10")),
        Integer.parseInt(options.getOrDefault("base-port", "18401")),
        Path.of(options.getOrDefault("out", "bench/results/chaos-" + Instant.now().toString().replace(':', '-'))),
        options.getOrDefault("pg-url", "postgresql://postgres@127.0.0.1:5432/switchboard_chaos"),
        options.getOrDefault("redis-url", "redis://127.0.0.1:6379"),
        options.getOrDefault("jar", "server/target/switchboard.jar"));
  }

  /** Whether the nodes share Redis ({@code --redis-url none}: each keeps presence and limits to itself). */
  boolean withRedis() {
    return !redisUrl.equals("none");
  }
}
