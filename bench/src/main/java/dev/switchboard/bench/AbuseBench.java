package dev.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.List;

/**
 * The bounded abuse benchmark (issue #16): for each attack of {@link Attack#NAMES}, honest traffic
 * ({@link HonestTraffic}) through three measured phases of --seconds each: a baseline, the attack running from one
 * other address ({@link AttackerProcess}), and after the attacker has closed its sockets. One JSON line per attack:
 * the honest subscribers' p50/p99/max delivery latency per phase, what they lost or got out of order, the node's RSS
 * and CPU per phase, and what the attacker saw (sockets the node closed, and when, and how).
 *
 * <p>The goal it checks: the honest p99 during a single-address attack stays within 2x of the baseline p99.
 */
final class AbuseBench {

  /** The goal of issue #16: the honest p99 during an attack at most this many times the baseline's. */
  static final double GOAL_RATIO = 2.0;

  private final BenchOptions options;
  private final Vertx vertx;
  private final Connector connector;

  AbuseBench(BenchOptions options, Vertx vertx, Connector connector) {
    this.options = options;
    this.vertx = vertx;
    this.connector = connector;
  }

  void run() throws Exception {
    List<String> attacks = Arrays.stream(options.string("attacks", String.join(",", Attack.NAMES)).split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String attack : attacks) {
      if (!Attack.NAMES.contains(attack)) {
        throw new IllegalArgumentException("no attack " + attack + "; there are " + Attack.NAMES);
      }
    }
    for (String attack : attacks) {
      try {
        FanoutBench.emit(measure(attack));
      } catch (Exception e) {
        System.err.println("abuse " + attack + ": not measured: " + e);
        FanoutBench.emit(new JsonObject().put("scenario", "abuse").put("attack", attack)
            .put("error", String.valueOf(e)));
      }
      Thread.sleep(1000);
    }
  }

  private JsonObject measure(String attack) throws Exception {
    int seconds = options.seconds;
    HonestTraffic honest = new HonestTraffic(vertx, connector, options);
    Phase baseline;
    Phase during;
    Phase after;
    JsonObject seen;
    try {
      honest.connect();
      honest.phase();
      honest.startPublishing();
      try (AttackerProcess attacker = AttackerProcess.arm(options, attack, options.warmup + 3 * seconds + 90)) {
        System.err.printf("abuse %s: %d honest subscribers at %d events/s; attacker armed; %d s warm-up%n", attack,
            honest.subscriberCount(), honest.rate(), options.warmup);
        hold(honest, options.warmup, attack + " warm-up");
        baseline = measured(honest, seconds, attack + " baseline");
        attacker.go();
        during = measured(honest, seconds, attack + " during");
        // publishes while the attacker closes its sockets belong to no measured phase, but must arrive all the same
        honest.phase();
        seen = attacker.stop();
        System.err.printf("abuse %s: attacker stopped: %s%n", attack, seen.encode());
        after = measured(honest, seconds, attack + " after");
        honest.phase();
      }
      honest.stopAndDrain(10);
    } finally {
      honest.close();
    }
    JsonObject totals = honest.totals();
    JsonObject base = baseline.figures(honest);
    JsonObject attacked = during.figures(honest);
    JsonObject recovered = after.figures(honest);
    double baseP99 = Math.max(0.01, base.getDouble("p99Ms"));
    double ratio = Stats.round(attacked.getDouble("p99Ms") / baseP99);
    return new JsonObject().put("scenario", "abuse").put("attack", attack).put("seconds", seconds)
        .put("subscribers", honest.subscriberCount()).put("rate", honest.rate())
        .put("baseline", base).put("during", attacked).put("after", recovered)
        .put("p99Ratio", ratio).put("withinGoal", ratio <= GOAL_RATIO)
        .put("afterP99Ratio", Stats.round(recovered.getDouble("p99Ms") / baseP99))
        .put("honest", totals).put("attacker", seen)
        .put("failures", failures(totals, seen, base, attacked, recovered));
  }

  /** One measured phase: its index in the honest traffic, the node's RSS at its end and CPU over it, ours. */
  private record Phase(int index, JsonObject node) {
    /** The honest figures of what the phase published, read once every delivery is in, with the node's. */
    JsonObject figures(HonestTraffic honest) {
      return honest.figures(index).mergeIn(node);
    }
  }

  private Phase measured(HonestTraffic honest, int seconds, String label) throws InterruptedException {
    int phase = honest.phase();
    int core = options.integer("server-core", 0);
    ProcStats before = ProcStats.of(options.serverPid);
    ProcStats self = ProcStats.self();
    long coreBefore = ProcStats.coreBusyNanos(core);
    long start = System.nanoTime();
    hold(honest, seconds, label);
    ProcStats end = ProcStats.of(options.serverPid);
    long coreBusy = ProcStats.coreBusyNanos(core) - coreBefore;
    double elapsed = System.nanoTime() - start;
    // the honest clients' own share of the generator's core: near 100 would make their latencies theirs, not the node's
    JsonObject node = new JsonObject()
        .put("generatorCpuPct", Math.round(100.0 * ProcStats.self().minus(self).cpuNanos() / elapsed));
    if (end.known()) {
      long nodeCpu = end.minus(before).cpuNanos();
      node.put("rssMb", Stats.round(end.rssBytes() / 1048576.0))
          .put("serverCpuPct", Math.round(100.0 * nodeCpu / elapsed));
      if (coreBefore >= 0) {
        // what else ran on the node's core (other processes of the machine): the noise under these figures
        node.put("otherCpuOnServerCorePct", Math.max(0, Math.round(100.0 * (coreBusy - nodeCpu) / elapsed)));
      }
    }
    return new Phase(phase, node);
  }

  private void hold(HonestTraffic honest, int seconds, String label) throws InterruptedException {
    honest.lastSecond();
    for (int s = 1; s <= seconds; s++) {
      Thread.sleep(1000);
      Histogram second = honest.lastSecond();
      ProcStats server = ProcStats.of(options.serverPid);
      System.err.printf("  [abuse %s] %2d s: %,d deliveries, p50 %.2f ms, p99 %.2f ms, max %.1f ms, node RSS %s%n",
          label, s, second.getTotalCount(), second.getValueAtPercentile(50) / 1000.0,
          second.getValueAtPercentile(99) / 1000.0, second.getMaxValue() / 1000.0,
          server.known() ? (server.rssBytes() >> 20) + " MB" : "?");
    }
  }

  private static JsonArray failures(JsonObject totals, JsonObject seen, JsonObject... phases) {
    JsonArray failures = new JsonArray();
    String[] names = {"baseline", "during", "after"};
    for (int i = 0; i < phases.length; i++) {
      JsonObject phase = phases[i];
      if (phase.getLong("lost") > 0) {
        failures.add(names[i] + ": " + phase.getLong("lost") + " of " + phase.getLong("expected")
            + " deliveries lost");
      }
    }
    if (totals.getLong("gaps") > 0 || totals.getLong("duplicates") > 0) {
      failures.add("out of order: " + totals.getLong("gaps") + " gaps, " + totals.getLong("duplicates")
          + " repeats");
    }
    if (totals.getLong("closed") > 0) {
      failures.add("the node closed " + totals.getLong("closed") + " honest connections: "
          + totals.getJsonObject("closeCodes").encode());
    }
    if (totals.getLong("unacked") > 0) {
      failures.add(totals.getLong("unacked") + " honest publishes never acknowledged");
    }
    if (seen.getLong("opened", 0L) == 0) {
      failures.add("the attack opened no socket: " + seen.getJsonObject("answers", new JsonObject()).encode());
    }
    return failures;
  }
}
