package dev.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Turns one run's {@code results.jsonl} (the generator's and the floor probe's JSON lines) and {@code meta.json}
 * into {@code results.json}, {@code results.md} (a table per scenario, with ratios to Socket.IO and to the floor;
 * the abuse benchmark's by {@link AbuseReport})
 * and PNG charts of latency percentiles against load.
 */
final class Report {

  private static final String SB = "switchboard";
  private static final String SIO = "socketio";
  private static final String FLOOR = "floor";

  private final Path dir;
  private final List<JsonObject> results = new ArrayList<>();

  Report(BenchOptions options) {
    this.dir = Path.of(options.string("results", "."));
  }

  void write() throws IOException {
    System.setProperty("java.awt.headless", "true");
    for (String line : Files.readAllLines(dir.resolve("results.jsonl"))) {
      if (line.startsWith("{")) {
        JsonObject result = new JsonObject(line);
        if (result.containsKey("rounds") && !result.containsKey("serverCpuUsPerDelivery")) {
          Stats.medians(result.getJsonArray("rounds"), result);
        }
        results.add(result);
      }
    }
    JsonObject meta = Files.exists(dir.resolve("meta.json"))
        ? new JsonObject(Files.readString(dir.resolve("meta.json"))) : new JsonObject();
    Files.writeString(dir.resolve("results.json"),
        new JsonObject().put("meta", meta).put("results", new JsonArray(new ArrayList<>(results))).encodePrettily());
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark run ").append(meta.getString("timestamp", "")).append("\n\n");
    meta.forEach(e -> md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
    fanout(md);
    maxrate(md);
    rooms(md);
    idle(md);
    storm(md);
    append(md);
    AbuseReport.section(select(r -> "abuse".equals(r.getString("scenario"))), md);
    SettingsReport.loopsSection(select(r -> "loops".equals(r.getString("scenario"))),
        select(r -> "loops-fanout".equals(r.getString("scenario"))), md);
    SettingsReport.metricsSection(select(r -> "metrics".equals(r.getString("scenario"))), md);
    TxPublishReport.section(select(r -> "txpublish".equals(r.getString("scenario"))), md);
    Files.writeString(dir.resolve("results.md"), md.toString());
    System.err.println("report: " + dir.resolve("results.md"));
  }

  private void fanout(StringBuilder md) throws IOException {
    List<JsonObject> cells = select(r -> "fanout".equals(r.getString("scenario")));
    if (cells.isEmpty()) {
      return;
    }
    md.append("\n## fanout: N subscribers in one session, one publisher at R events/s\n\n")
        .append("Medians of the measured rounds. CPU per delivery is the server's user + system time over the ")
        .append("deliveries the generator received; *x floor* divides it by the floor probe's CPU per write ")
        .append("for the same N, R and frame size; *x Socket.IO* divides Switchboard's figure by Socket.IO's.\n\n")
        .append("| N x R | server | deliveries/s | p50 ms | p95 ms | p99 ms | max ms | lost | server CPU % ")
        .append("| us/delivery (user+sys) | x floor | syscalls/delivery | generator CPU % | p99 x Socket.IO ")
        .append("| CPU x Socket.IO |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    TreeSet<String> keys = new TreeSet<>((a, b) -> {
      String[] x = a.split("x");
      String[] y = b.split("x");
      int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
      return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    });
    cells.forEach(c -> keys.add(c.getInteger("subscribers") + "x" + c.getInteger("rate")));
    for (String key : keys) {
      JsonObject floor = find(FLOOR, "floor", key);
      JsonObject sio = find(SIO, "fanout", key);
      for (String target : List.of(SB, SIO, FLOOR)) {
        JsonObject r = find(target, target.equals(FLOOR) ? "floor" : "fanout", key);
        if (r == null) {
          continue;
        }
        boolean isFloor = target.equals(FLOOR);
        md.append("| ").append(key).append(" | ").append(target)
            .append(" | ").append(num(r.getValue("deliveriesPerSec"), 0))
            .append(" | ").append(isFloor ? "" : num(r.getValue("p50Ms"), 2))
            .append(" | ").append(isFloor ? "" : num(r.getValue("p95Ms"), 2))
            .append(" | ").append(isFloor ? "" : num(r.getValue("p99Ms"), 2))
            .append(" | ").append(isFloor ? "" : num(r.getValue("maxMs"), 1))
            .append(" | ").append(isFloor ? "" : r.getValue("lost"))
            .append(" | ").append(num(r.getValue("serverCpuPct"), 0))
            .append(" | ").append(num(r.getValue("serverCpuUsPerDelivery"), 2)).append(" (")
            .append(num(r.getValue("serverUserUsPerDelivery"), 2)).append('+')
            .append(num(r.getValue("serverSystemUsPerDelivery"), 2)).append(')')
            .append(" | ").append(ratio(r, floor, "serverCpuUsPerDelivery"))
            .append(" | ").append(num(r.getValue("serverSyscallsPerDelivery"), 3))
            .append(" | ").append(isFloor ? "" : num(r.getValue("generatorCpuPct"), 0))
            .append(" | ").append(target.equals(SB) ? ratio(r, sio, "p99Ms") : "")
            .append(" | ").append(target.equals(SB) ? ratio(r, sio, "serverCpuUsPerDelivery") : "")
            .append(" |\n");
      }
    }
    TreeSet<Integer> sizes = new TreeSet<>();
    cells.forEach(c -> sizes.add(c.getInteger("subscribers")));
    for (int n : sizes) {
      XYChart chart = new XYChartBuilder().width(900).height(520)
          .title("fanout, " + n + " subscribers: delivery latency against load")
          .xAxisTitle("events/s published (log)").yAxisTitle("latency (ms, log)").build();
      chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW)
          .setChartBackgroundColor(java.awt.Color.WHITE);
      for (String target : List.of(SB, SIO)) {
        List<JsonObject> series = select(r -> "fanout".equals(r.getString("scenario"))
            && target.equals(r.getString("target")) && r.getInteger("subscribers") == n);
        series.sort((a, b) -> Integer.compare(a.getInteger("rate"), b.getInteger("rate")));
        if (series.isEmpty()) {
          continue;
        }
        for (String p : List.of("p50Ms", "p99Ms")) {
          chart.addSeries(target + " " + p.replace("Ms", ""), series.stream().map(r -> r.getInteger("rate")).toList(),
              series.stream().map(r -> Math.max(0.01, r.getDouble(p))).toList());
        }
      }
      if (!chart.getSeriesMap().isEmpty()) {
        BitmapEncoder.saveBitmap(chart, dir.resolve("fanout-latency-" + n + ".png").toString(),
            BitmapEncoder.BitmapFormat.PNG);
        md.append("\n![fanout ").append(n).append("](fanout-latency-").append(n).append(".png)\n");
      }
    }
    CategoryChart cpu = new CategoryChartBuilder().width(1000).height(520)
        .title("server CPU per delivery (user + system)").xAxisTitle("N subscribers x R events/s")
        .yAxisTitle("us per delivery").build();
    cpu.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW).setChartBackgroundColor(java.awt.Color.WHITE);
    List<String> order = new ArrayList<>(keys);
    for (String target : List.of(SB, SIO, FLOOR)) {
      List<Double> values = new ArrayList<>();
      for (String key : order) {
        JsonObject r = find(target, target.equals(FLOOR) ? "floor" : "fanout", key);
        values.add(r == null || r.getValue("serverCpuUsPerDelivery") == null ? 0.0
            : ((Number) r.getValue("serverCpuUsPerDelivery")).doubleValue());
      }
      if (values.stream().anyMatch(v -> v > 0)) {
        cpu.addSeries(target.equals(FLOOR) ? "floor (one write per delivery)" : target, order, values);
      }
    }
    BitmapEncoder.saveBitmap(cpu, dir.resolve("fanout-cpu.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    md.append("\n![CPU per delivery](fanout-cpu.png)\n");
  }

  private void maxrate(StringBuilder md) throws IOException {
    List<JsonObject> summary = select(r -> "maxrate".equals(r.getString("scenario")));
    if (summary.isEmpty()) {
      return;
    }
    md.append("\n## maxrate: highest R held with p99 under the limit and nothing lost\n\n")
        .append("| server | subscribers | held events/s | deliveries/s | failed at | p99 there (ms) | lost there |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (JsonObject r : summary) {
      md.append("| ").append(r.getString("target")).append(" | ").append(r.getValue("subscribers")).append(" | ")
          .append(r.getValue("heldRate")).append(" | ").append(num(r.getValue("heldDeliveriesPerSec"), 0))
          .append(" | ").append(Objects.toString(r.getValue("failedAt"), "-")).append(" | ")
          .append(num(r.getValue("failedP99Ms"), 1)).append(" | ")
          .append(Objects.toString(r.getValue("failedLost"), "-")).append(" |\n");
    }
    md.append("\n| server | R | deliveries/s | p50 ms | p99 ms | lost | closed | server CPU % | us/delivery ")
        .append("| syscalls/delivery | generator CPU % |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    XYChart chart = new XYChartBuilder().width(900).height(520)
        .title("maxrate, 500 subscribers: p99 against events/s").xAxisTitle("events/s published")
        .yAxisTitle("p99 latency (ms, log)").build();
    chart.getStyler().setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW)
        .setChartBackgroundColor(java.awt.Color.WHITE);
    for (String target : List.of(SB, SIO)) {
      List<JsonObject> steps = select(r -> "maxrate-step".equals(r.getString("scenario"))
          && target.equals(r.getString("target")));
      for (JsonObject r : steps) {
        md.append("| ").append(target).append(" | ").append(r.getValue("rate")).append(" | ")
            .append(num(r.getValue("deliveriesPerSec"), 0)).append(" | ").append(num(r.getValue("p50Ms"), 2))
            .append(" | ").append(num(r.getValue("p99Ms"), 2)).append(" | ").append(r.getValue("lost"))
            .append(" | ").append(r.getValue("closed")).append(" | ").append(num(r.getValue("serverCpuPct"), 0))
            .append(" | ").append(num(r.getValue("serverCpuUsPerDelivery"), 2)).append(" | ")
            .append(num(r.getValue("serverSyscallsPerDelivery"), 3)).append(" | ")
            .append(num(r.getValue("generatorCpuPct"), 0)).append(" |\n");
      }
      if (!steps.isEmpty()) {
        chart.addSeries(target + " p99", steps.stream().map(r -> r.getInteger("rate")).toList(),
            steps.stream().map(r -> Math.max(0.01, r.getDouble("p99Ms"))).toList());
        chart.addSeries(target + " p50", steps.stream().map(r -> r.getInteger("rate")).toList(),
            steps.stream().map(r -> Math.max(0.01, r.getDouble("p50Ms"))).toList());
      }
    }
    List<Integer> xs = List.of(100, 2000);
    chart.addSeries("limit 100 ms", xs, List.of(100.0, 100.0)).setMarker(SeriesMarkers.NONE);
    BitmapEncoder.saveBitmap(chart, dir.resolve("maxrate.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    md.append("\n![maxrate](maxrate.png)\n");
  }

  private void rooms(StringBuilder md) {
    List<JsonObject> rooms = select(r -> "rooms".equals(r.getString("scenario")));
    if (rooms.isEmpty()) {
      return;
    }
    md.append("\n## rooms: subscribers spread over many sessions, many publishers\n\n")
        .append("| server | subscribers | sessions | publishers | events/s | deliveries/s | p50 ms | p99 ms | max ms ")
        .append("| lost | server CPU % | us/delivery | generator CPU % |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (JsonObject r : rooms) {
      md.append("| ").append(r.getString("target")).append(" | ").append(r.getValue("subscribers")).append(" | ")
          .append(r.getValue("sessions")).append(" | ").append(r.getValue("publishers")).append(" | ")
          .append(r.getValue("rate")).append(" | ").append(num(r.getValue("deliveriesPerSec"), 0)).append(" | ")
          .append(num(r.getValue("p50Ms"), 2)).append(" | ").append(num(r.getValue("p99Ms"), 2)).append(" | ")
          .append(num(r.getValue("maxMs"), 1)).append(" | ").append(r.getValue("lost")).append(" | ")
          .append(num(r.getValue("serverCpuPct"), 0)).append(" | ")
          .append(num(r.getValue("serverCpuUsPerDelivery"), 2)).append(" | ")
          .append(num(r.getValue("generatorCpuPct"), 0)).append(" |\n");
    }
  }

  private void idle(StringBuilder md) throws IOException {
    List<JsonObject> idle = select(r -> "idle".equals(r.getString("scenario")));
    if (idle.isEmpty()) {
      return;
    }
    md.append("\n## idle: connections held with heartbeats on\n\n")
        .append("Per connection: the growth from N/2 to N connections, both after a full GC; connects/s: all N ")
        .append("again after that first pass.\n\n")
        .append("| server | connections | open after hold | RSS KB/conn | heap KB/conn | RSS MB | connects/s ")
        .append("| server us/connect | server CPU % connecting | generator CPU % connecting | server CPU % holding ")
        .append("|\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (JsonObject r : idle) {
      md.append("| ").append(r.getString("label", r.getString("target"))).append(" | ").append(r.getValue("connections"))
          .append(" | ")
          .append(r.getValue("openAfterHold")).append(" | ").append(num(r.getValue("rssKbPerConnection"), 1))
          .append(" | ").append(num(r.getValue("heapKbPerConnection"), 1)).append(" | ")
          .append(num(r.getValue("serverRssMb"), 0)).append(" | ").append(num(r.getValue("connectsPerSec"), 0))
          .append(" | ").append(num(r.getValue("serverCpuUsPerConnect"), 0))
          .append(" | ").append(num(r.getValue("serverCpuPctWhileConnecting"), 0))
          .append(" | ").append(num(r.getValue("generatorCpuPctWhileConnecting"), 0)).append(" | ")
          .append(num(r.getValue("serverCpuPctHolding"), 1)).append(" |\n");
    }
    CategoryChart chart = new CategoryChartBuilder().width(800).height(480).title("server RSS per idle connection")
        .xAxisTitle("connections").yAxisTitle("KB per connection").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW).setChartBackgroundColor(java.awt.Color.WHITE);
    TreeSet<Integer> sizes = new TreeSet<>();
    idle.forEach(r -> sizes.add(r.getInteger("connections")));
    List<String> labels = sizes.stream().map(String::valueOf).toList();
    for (String target : List.of(SB, SIO)) {
      List<Double> values = new ArrayList<>();
      for (int n : sizes) {
        values.add(idle.stream().filter(r -> target.equals(r.getString("target")) && r.getInteger("connections") == n)
            .map(r -> r.getDouble("rssKbPerConnection")).findFirst().orElse(0.0));
      }
      if (values.stream().anyMatch(v -> v != 0)) {
        chart.addSeries(target, labels, values);
      }
    }
    if (!chart.getSeriesMap().isEmpty()) {
      BitmapEncoder.saveBitmap(chart, dir.resolve("idle-rss.png").toString(), BitmapEncoder.BitmapFormat.PNG);
      md.append("\n![idle RSS](idle-rss.png)\n");
    }
  }

  private void storm(StringBuilder md) {
    List<JsonObject> storm = select(r -> "storm".equals(r.getString("scenario")));
    if (storm.isEmpty()) {
      return;
    }
    md.append("\n## reconnect storm: SIGKILL and restart under load\n\n")
        .append("Resume times from the kill; \"p95 after listening\" from the node accepting connections again.\n\n")
        .append("| retries | subscribers | sessions | events/s | listening after s | resumed | p50 s | p95 s ")
        .append("| p95 after listening s | max s | all resumed s | events stored | gaps | duplicates | caught up ")
        .append("| exactly once |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (JsonObject r : storm) {
      md.append("| ").append(r.getString("policy", "legacy")).append(" | ").append(r.getValue("subscribers"))
          .append(" | ").append(r.getValue("sessions")).append(" | ")
          .append(r.getValue("rate")).append(" | ").append(r.getValue("listeningAfterSec")).append(" | ")
          .append(r.getValue("resumed")).append(" | ").append(r.getValue("resumeP50Sec")).append(" | ")
          .append(r.getValue("resumeP95Sec")).append(" | ").append(r.getValue("resumeAfterListeningP95Sec"))
          .append(" | ").append(r.getValue("resumeMaxSec")).append(" | ")
          .append(r.getValue("allResumedSec")).append(" | ").append(r.getValue("eventsStored")).append(" | ")
          .append(r.getValue("gaps")).append(" | ").append(r.getValue("duplicates")).append(" | ")
          .append(r.getValue("caughtUp")).append(" | ").append(r.getValue("exactlyOnce")).append(" |\n");
    }
  }

  private void append(StringBuilder md) {
    List<JsonObject> append = select(r -> "append".equals(r.getString("scenario")));
    if (append.isEmpty()) {
      return;
    }
    md.append("\n## append: durable events/s on the embedded store (group commit on or off; publish hook on or off)\n\n")
        .append("| case | connections x in flight | appends/s | ack p50 ms | ack p99 ms | errors | server CPU % ")
        .append("| generator CPU % |\n|---|---|---|---|---|---|---|---|\n");
    for (JsonObject r : append) {
      md.append("| ").append(r.getValue("maxBatch")).append(" | ").append(r.getValue("connections")).append(" x ")
          .append(r.getValue("inflight")).append(" | ").append(num(r.getValue("appendsPerSec"), 0)).append(" | ")
          .append(num(r.getValue("ackP50Ms"), 2)).append(" | ").append(num(r.getValue("ackP99Ms"), 2)).append(" | ")
          .append(r.getValue("errors")).append(" | ").append(num(r.getValue("serverCpuPct"), 0)).append(" | ")
          .append(num(r.getValue("generatorCpuPct"), 0)).append(" |\n");
    }
  }

  private List<JsonObject> select(Predicate<JsonObject> filter) {
    return new ArrayList<>(results.stream().filter(filter).toList());
  }

  private JsonObject find(String target, String scenario, String key) {
    return results.stream().filter(r -> scenario.equals(r.getString("scenario")) && target.equals(r.getString("target"))
        && key.equals(r.getInteger("subscribers") + "x" + r.getInteger("rate"))).findFirst().orElse(null);
  }

  private static String ratio(JsonObject r, JsonObject base, String field) {
    if (r == null || base == null || !(r.getValue(field) instanceof Number a)
        || !(base.getValue(field) instanceof Number b) || b.doubleValue() == 0) {
      return "";
    }
    return String.format(Locale.ROOT, "%.2f", a.doubleValue() / b.doubleValue());
  }

  private static String num(Object value, int decimals) {
    if (!(value instanceof Number number)) {
      return value == null ? "" : value.toString();
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", number.doubleValue());
  }
}
