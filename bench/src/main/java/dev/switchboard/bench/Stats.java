package dev.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/** Small numeric helpers shared by the scenarios: percentiles in ms, rounding, medians of rounds. */
final class Stats {

  private Stats() {
  }

  static double ms(Histogram histogram, double percentile) {
    return round(histogram.getValueAtPercentile(percentile) / 1000.0);
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : round((sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
  }

  /** For each numeric field of the rounds, its median across them, put into {@code into}. */
  static JsonObject medians(JsonArray rounds, JsonObject into) {
    if (rounds.isEmpty()) {
      return into;
    }
    for (String field : rounds.getJsonObject(0).fieldNames()) {
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < rounds.size(); i++) {
        Object value = rounds.getJsonObject(i).getValue(field);
        if (value instanceof Number number) {
          values.add(number.doubleValue());
        }
      }
      if (values.size() == rounds.size()) {
        into.put(field, median(values));
      }
    }
    return into;
  }
}
