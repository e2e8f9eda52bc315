package dev.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * The sections of {@code results.md} that compare one server setting's values in one run: the loops scenario
 * (issue #18: the edge on 1 and on N event loops, the server free to use its CPUs and the generator pinned to its
 * own, with Socket.IO under the same conditions beside it, and the duration of one event's fan-out to many
 * subscribers at each setting), and the metrics scenario (issue #17: CPU per delivery with metrics on and off).
 */
final class SettingsReport {

  private SettingsReport() {
  }

  static void loopsSection(List<JsonObject> cells, List<JsonObject> durations, StringBuilder md) {
    if (cells.isEmpty() && durations.isEmpty()) {
      return;
    }
    md.append("\n## loops: the edge on several event loops\n\n")
        .append("The server may use every CPU it was given; the generator runs pinned to its own. *Loops* is ")
        .append("`SB_EDGE_LOOPS` (Socket.IO runs on one thread whatever it is given). Medians of the rounds.\n\n")
        .append("| server | loops | cell | deliveries/s | server CPU us/delivery | server CPU % | p50 ms | p99 ms ")
        .append("| generator CPU % | lost |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (JsonObject r : cells) {
      md.append("| ").append(r.getString("target")).append(" | ").append(loops(r)).append(" | ")
          .append(r.getValue("subscribers")).append(" x ").append(r.getValue("rate")).append(" | ")
          .append(num(r.getValue("deliveriesPerSec"), 0)).append(" | ").append(num(r.getValue("serverCpuUsPerDelivery"), 2))
          .append(" | ").append(num(r.getValue("serverCpuPct"), 0)).append(" | ").append(num(r.getValue("p50Ms"), 2))
          .append(" | ").append(num(r.getValue("p99Ms"), 2)).append(" | ").append(num(r.getValue("generatorCpuPct"), 0))
          .append(" | ").append(r.getValue("lost")).append(" |\n");
    }
    if (durations.isEmpty()) {
      return;
    }
    md.append("\nOne event's fan-out to ").append(durations.get(0).getValue("subscribers"))
        .append(" subscribers of one session at ").append(durations.get(0).getValue("rate"))
        .append(" events/s (no queueing): the server's own `switchboard_fanout_seconds` (from the event's commit until ")
        .append("its writes to every local subscriber are flushed), mean over the cell's events, and the ratio to one ")
        .append("loop.\n\n")
        .append("| loops | events | mean fan-out ms | ratio to 1 loop |\n|---|---|---|---|\n");
    Double one = durations.stream().filter(r -> r.getInteger("edgeLoops") == 1).map(r -> r.getDouble("meanFanoutMs"))
        .findFirst().orElse(null);
    for (JsonObject r : durations) {
      double mean = r.getDouble("meanFanoutMs");
      md.append("| ").append(r.getValue("edgeLoops")).append(" | ").append(r.getValue("events")).append(" | ")
          .append(num(mean, 2)).append(" | ")
          .append(one == null || one == 0 ? "" : String.format(Locale.ROOT, "%.2f", mean / one)).append(" |\n");
    }
  }

  static void metricsSection(List<JsonObject> cells, StringBuilder md) {
    if (cells.isEmpty()) {
      return;
    }
    md.append("\n## metrics: what keeping metrics costs per delivery\n\n")
        .append("The same cells on a node with `SB_METRICS=true` and on one with `SB_METRICS=false`, medians of five ")
        .append("rounds each; the ratio is on / off.\n\n")
        .append("| cell | metrics | server CPU us/delivery | ratio on / off | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n");
    for (JsonObject r : cells) {
      JsonObject off = cells.stream().filter(o -> !o.getBoolean("metrics") && o.getInteger("subscribers")
          .equals(r.getInteger("subscribers")) && o.getInteger("rate").equals(r.getInteger("rate"))).findFirst()
          .orElse(null);
      String ratio = !r.getBoolean("metrics") || off == null ? "" : String.format(Locale.ROOT, "%.2f",
          r.getDouble("serverCpuUsPerDelivery") / off.getDouble("serverCpuUsPerDelivery"));
      md.append("| ").append(r.getValue("subscribers")).append(" x ").append(r.getValue("rate")).append(" | ")
          .append(r.getBoolean("metrics") ? "on" : "off").append(" | ")
          .append(num(r.getValue("serverCpuUsPerDelivery"), 2)).append(" | ").append(ratio).append(" | ")
          .append(num(r.getValue("p50Ms"), 2)).append(" | ").append(num(r.getValue("p99Ms"), 2)).append(" |\n");
    }
  }

  private static String loops(JsonObject r) {
    return "switchboard".equals(r.getString("target")) ? String.valueOf(r.getValue("edgeLoops")) : "1 (Node)";
  }

  private static String num(Object value, int decimals) {
    if (!(value instanceof Number number)) {
      return value == null ? "" : value.toString();
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", number.doubleValue());
  }
}
