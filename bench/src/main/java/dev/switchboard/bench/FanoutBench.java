package dev.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The scenarios built on {@link FanoutLoad}, one JSON line per measured cell on stdout:
 * <ul>
 *   <li>fanout: for each N of --subscribers, one session, one publisher, each R of --rates (with --edge-loops L,
 *   the loops scenario's cells, the server's SB_EDGE_LOOPS being L; with --metrics true|false, the metrics
 *   scenario's, the server's SB_METRICS being that);</li>
 *   <li>maxrate: N subscribers, R raised through --rates until p99 passes --p99-limit-ms or anything is lost;</li>
 *   <li>rooms: N subscribers over --sessions sessions, --publishers publishers sharing each R of --rates.</li>
 * </ul>
 */
final class FanoutBench {

  private final BenchOptions options;
  private final Vertx vertx;
  private final Connector connector;

  FanoutBench(BenchOptions options, Vertx vertx, Connector connector) {
    this.options = options;
    this.vertx = vertx;
    this.connector = connector;
  }

  void fanout() throws Exception {
    long cap = options.longValue("max-deliveries", 600_000);
    for (int subscribers : options.integers("subscribers", "500")) {
      List<Integer> rates = options.integers("rates", "150").stream()
          .filter(r -> (long) r * subscribers <= cap).toList();
      if (rates.isEmpty()) {
        continue;
      }
      FanoutLoad load = new FanoutLoad(vertx, connector, options, subscribers, 1, 1, "fanout");
      load.connect();
      for (int rate : rates) {
        JsonObject result = load.phase(rate, options.warmup, options.integer("rounds", 1), options.seconds,
            options.serverPid, subscribers + "x" + rate);
        if (options.raw.containsKey("edge-loops")) {
          emit(result.put("scenario", "loops").put("edgeLoops", options.integer("edge-loops", 1)));
        } else if (options.raw.containsKey("metrics")) {
          emit(result.put("scenario", "metrics").put("metrics", Boolean.parseBoolean(options.raw.get("metrics"))));
        } else {
          emit(result.put("scenario", "fanout"));
        }
      }
      load.close();
      Thread.sleep(1000);
    }
  }

  void maxrate() throws Exception {
    int subscribers = options.integer("subscribers", 500);
    double limit = options.integer("p99-limit-ms", 100);
    FanoutLoad load = new FanoutLoad(vertx, connector, options, subscribers, 1, 1, "maxrate");
    load.connect();
    int held = 0;
    JsonObject failed = null;
    for (int rate : options.integers("rates", "100,150,200,300,400,500,600,700,800,1000,1200")) {
      JsonObject step = load.phase(rate, options.warmup, 1, options.seconds, options.serverPid,
          "maxrate " + subscribers + "x" + rate);
      boolean holds = step.getDouble("p99Ms") <= limit && step.getLong("lost") == 0 && step.getLong("closed") == 0
          && step.getLong("gaps") == 0;
      emit(step.put("scenario", "maxrate-step").put("held", holds));
      if (!holds) {
        failed = step;
        break;
      }
      held = rate;
    }
    emit(new JsonObject().put("scenario", "maxrate").put("target", load.target()).put("subscribers", subscribers)
        .put("p99LimitMs", limit).put("heldRate", held).put("heldDeliveriesPerSec", (long) held * subscribers)
        .put("failedAt", failed == null ? null : failed.getInteger("rate"))
        .put("failedP99Ms", failed == null ? null : failed.getDouble("p99Ms"))
        .put("failedLost", failed == null ? null : failed.getLong("lost")));
    load.close();
  }

  void rooms() throws Exception {
    int subscribers = options.integer("subscribers", 10_000);
    FanoutLoad load = new FanoutLoad(vertx, connector, options, subscribers, options.integer("sessions", 1000),
        options.integer("publishers", 100), "rooms");
    load.connect();
    for (int rate : options.integers("rates", "1000")) {
      emit(load.phase(rate, options.warmup, options.integer("rounds", 1), options.seconds, options.serverPid,
          "rooms " + rate + "/s").put("scenario", "rooms"));
    }
    load.close();
  }

  static void emit(JsonObject result) {
    System.out.println(result.encode());
    System.out.flush();
  }
}
