package dev.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/** The txpublish section of {@code results.md}: each mode's rate and latencies, with ratios to REST publishing. */
final class TxPublishReport {

  private TxPublishReport() {
  }

  static void section(List<JsonObject> modes, StringBuilder md) {
    if (modes.isEmpty()) {
      return;
    }
    md.append("\n## txpublish: publishing from the application's transaction against REST\n\n")
        .append("Each of ").append(modes.get(0).getValue("connections")).append(" lanes does one operation at a ")
        .append("time: a transaction (a row of the application's own, with or without `sb_publish`) or a REST ")
        .append("publish; the modes take turns, round after round, and x REST compares with the same round's REST ")
        .append("publishing. Delivery is from the moment the lane is told its commit or its 201 is done to the ")
        .append("WebSocket subscriber's read (0 when the event arrived first); end to end from the start of the ")
        .append("transaction or request.\n\n")
        .append("| round | mode | per second | x REST | operation p50 ms | p99 ms | delivery p50 ms | p99 ms |")
        .append(" end to end p50 ms | p99 ms | lost | errors |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (JsonObject m : modes) {
      JsonObject rest = modes.stream().filter(r -> r.getString("mode").startsWith("REST")
          && r.getValue("round").equals(m.getValue("round"))).findFirst().orElse(null);
      String ratio = rest == null ? "" : String.format(Locale.ROOT, "%.2f",
          m.getDouble("perSec") / Math.max(1, rest.getDouble("perSec")));
      md.append("| ").append(m.getValue("round")).append(" | ").append(m.getString("mode")).append(" | ")
          .append(m.getValue("perSec")).append(" | ")
          .append(ratio).append(" | ").append(m.getValue("operationP50Ms")).append(" | ")
          .append(m.getValue("operationP99Ms")).append(" | ").append(value(m, "deliveryP50Ms")).append(" | ")
          .append(value(m, "deliveryP99Ms")).append(" | ")
          .append(value(m, "endToEndP50Ms")).append(" | ").append(value(m, "endToEndP99Ms")).append(" | ")
          .append(value(m, "lost")).append(" | ")
          .append(m.getValue("errors")).append(" |\n");
    }
  }

  private static String value(JsonObject m, String key) {
    return m.containsKey(key) ? String.valueOf(m.getValue(key)) : "";
  }
}
