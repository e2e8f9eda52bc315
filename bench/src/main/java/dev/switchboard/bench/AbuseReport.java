package dev.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/** The abuse benchmark's section of {@code results.md}: one row per attack, then its failure lines. */
final class AbuseReport {

  private AbuseReport() {
  }

  static void section(List<JsonObject> results, StringBuilder md) {
    List<JsonObject> attacks = results.stream().filter(r -> !r.containsKey("error")).toList();
    List<JsonObject> broken = results.stream().filter(r -> r.containsKey("error")).toList();
    broken.forEach(r -> md.append("\n- **FAILURE** abuse ").append(r.getString("attack")).append(" was not measured: ")
        .append(r.getString("error")).append('\n'));
    if (attacks.isEmpty()) {
      return;
    }
    JsonObject first = attacks.get(0);
    md.append("\n## abuse: one address against honest subscribers\n\n")
        .append(first.getValue("subscribers")).append(" honest subscribers of one session and one publisher at ")
        .append(first.getValue("rate")).append(" events/s, all on 127.0.0.1; each attack from ")
        .append(first.getJsonObject("attacker").getString("source", "one other address")).append(". Per phase of ")
        .append(first.getValue("seconds")).append(" s (before the attack, during it, after its sockets are closed): ")
        .append("the honest delivery latency p50 / p99 in ms, and the node's RSS at the end of the phase. ")
        .append("The goal (issue #16): p99 during an attack at most ").append(AbuseBench.GOAL_RATIO)
        .append(" x the p99 before it. *Other CPU* is what the rest of the machine ran on the node's core meanwhile: ")
        .append("the noise under these figures.\n\n")
        .append("| attack | attacker | before p50 / p99 | during p50 / p99 | after p50 / p99 | max during | ")
        .append("p99 during / before | within goal | RSS MB before / during / after | node CPU % before / during ")
        .append("/ after | other CPU % on the node's core | attacker sockets closed by node / opened ")
        .append("| what the node answered |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (JsonObject r : attacks) {
      JsonObject base = r.getJsonObject("baseline");
      JsonObject during = r.getJsonObject("during");
      JsonObject after = r.getJsonObject("after");
      JsonObject seen = r.getJsonObject("attacker");
      md.append("| ").append(r.getString("attack")).append(" | ").append(size(r.getString("attack"), seen))
          .append(" | ").append(pair(base)).append(" | ").append(pair(during)).append(" | ").append(pair(after))
          .append(" | ").append(num(during.getValue("maxMs"), 1))
          .append(" | ").append(num(r.getValue("p99Ratio"), 2))
          .append(" | ").append(r.getBoolean("withinGoal") ? "yes" : "**no**")
          .append(" | ").append(num(base.getValue("rssMb"), 0)).append(" / ").append(num(during.getValue("rssMb"), 0))
          .append(" / ").append(num(after.getValue("rssMb"), 0))
          .append(" | ").append(num(base.getValue("serverCpuPct"), 0)).append(" / ")
          .append(num(during.getValue("serverCpuPct"), 0)).append(" / ").append(num(after.getValue("serverCpuPct"), 0))
          .append(" | ").append(num(base.getValue("otherCpuOnServerCorePct"), 0)).append(" / ")
          .append(num(during.getValue("otherCpuOnServerCorePct"), 0)).append(" / ")
          .append(num(after.getValue("otherCpuOnServerCorePct"), 0))
          .append(" | ").append(seen.getValue("closedByServer")).append(" / ").append(seen.getValue("opened"))
          .append(closing(seen))
          .append(" | ").append(answers(seen.getJsonObject("answers"))).append(" |\n");
    }
    md.append('\n');
    for (JsonObject r : attacks) {
      if (r.getJsonArray("failures").isEmpty()) {
        md.append("- ").append(r.getString("attack")).append(": every honest event delivered once and in order ")
            .append("(").append(r.getJsonObject("honest").getValue("published")).append(" published)\n");
      }
      r.getJsonArray("failures").forEach(f -> md.append("- **FAILURE** ").append(r.getString("attack"))
          .append(": ").append(f).append('\n'));
    }
  }

  /** How big the attack was: sockets held, bytes sent, joins made. */
  private static String size(String attack, JsonObject seen) {
    return switch (attack) {
      case "flood" -> seen.getValue("peakOpen") + " sockets, " + num(seen.getValue("mbSent"), 0) + " MB sent";
      case "presence" -> seen.getValue("users") + " users, " + seen.getValue("joins") + " joins, at most "
          + seen.getValue("peakOpen") + " open";
      default -> seen.getValue("peakOpen") + " sockets open at most";
    };
  }

  /** When the node closed attacker sockets, in seconds after the attack began. */
  private static String closing(JsonObject seen) {
    if (!seen.containsKey("firstServerCloseSec")) {
      return "";
    }
    return " (" + num(seen.getValue("firstServerCloseSec"), 1) + "-" + num(seen.getValue("lastServerCloseSec"), 1)
        + " s, median " + num(seen.getValue("medianServerCloseSec"), 1) + " s)";
  }

  private static String answers(JsonObject answers) {
    if (answers == null || answers.isEmpty()) {
      return "nothing";
    }
    StringBuilder text = new StringBuilder();
    answers.forEach(e -> text.append(text.length() == 0 ? "" : ", ").append(e.getKey()).append(" x ")
        .append(e.getValue()));
    return text.toString();
  }

  private static String pair(JsonObject phase) {
    return num(phase.getValue("p50Ms"), 2) + " / " + num(phase.getValue("p99Ms"), 2);
  }

  private static String num(Object value, int decimals) {
    if (!(value instanceof Number number)) {
      return value == null ? "?" : value.toString();
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", number.doubleValue());
  }
}
