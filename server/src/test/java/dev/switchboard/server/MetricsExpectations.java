package dev.switchboard.server;

import dev.switchboard.testsupport.PrometheusText;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Exact values a node's {@code GET /metrics} must show. Meters are recorded on the node's event loops, a moment after
 * what the test saw (a close, say), so {@link #awaitOn} scrapes until every value is exact or 10 s have passed, then
 * fails listing every value that differs.
 */
final class MetricsExpectations {

  private record Expected(String name, String[] labels, double value) {
  }

  private final List<Expected> expected = new ArrayList<>();

  /** {@code name{labels...}} must be exactly {@code value} (0 when the series does not exist). */
  MetricsExpectations expect(double value, String name, String... labels) {
    expected.add(new Expected(name, labels, value));
    return this;
  }

  /** Scrapes {@code node} until every expectation holds; returns the last scrape. */
  PrometheusText awaitOn(TestNode node) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      PrometheusText scrape = node.scrape();
      List<String> wrong = new ArrayList<>();
      for (Expected e : expected) {
        double actual = scrape.value(e.name, e.labels);
        if (actual != e.value) {
          wrong.add(e.name + List.of(e.labels) + " is " + actual + ", expected " + e.value);
        }
      }
      if (wrong.isEmpty()) {
        return scrape;
      }
      if (System.currentTimeMillis() > deadline) {
        fail("metrics differ:\n  " + String.join("\n  ", wrong));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException ie) {
        throw new IllegalStateException(ie);
      }
    }
  }
}
