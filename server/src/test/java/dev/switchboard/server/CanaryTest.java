package dev.switchboard.server;

import dev.switchboard.persistence.PersistenceVerticle;
import dev.switchboard.testsupport.PrometheusText;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery canary (docs/ARCHITECTURE.md, Delivery canary) on one node: its latency is exported while the path
 * works; with persistence gone its failures rise, once per missed round; when persistence is back latency is observed
 * again and failures stop rising.
 */
class CanaryTest {

  private static final String NODE_ID = "canary-node";
  private static final String LATENCY_COUNT = "switchboard_canary_seconds_count";
  private static final String FAILURES = "switchboard_canary_failures_total";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void failuresRiseWhilePersistenceIsGoneAndLatencyReturnsWithIt() throws Exception {
    // Persistence is deployed by the test, so that it can be taken away from under the running edge and brought back.
    try (TestNode node = TestNode.start(Map.of("SB_ROLES", "edge,auth,presence", "SB_NODE_ID", NODE_ID,
        "SB_CANARY_INTERVAL", "200ms"))) {
      JsonObject persistenceConfig = new JsonObject().put("SB_DATA_DIR", node.dataDir.toString());
      // Rounds without a store first, the canary's socket open: its subscription cannot be placed, and the canary
      // must recover from that once the store is there.
      awaitScrape(node, s -> s.value("switchboard_connections_opened_total", "transport", "websocket") >= 1
          && s.value(FAILURES, "stage", "publish") >= 1);
      String persistence = deployPersistence(node, persistenceConfig);

      PrometheusText working = awaitScrape(node, s -> latencyCount(s) >= 3);
      assertEquals("histogram", working.type("switchboard_canary_seconds"));
      assertTrue(working.value("switchboard_canary_seconds_bucket", "source", NODE_ID, "le", "10.0") >= 3);
      double publishFailuresBefore = working.value(FAILURES, "stage", "publish");

      node.vertx.undeploy(persistence).await(10, TimeUnit.SECONDS);
      PrometheusText broken = awaitScrape(node,
          s -> s.value(FAILURES, "stage", "publish") >= publishFailuresBefore + 3);
      double latencyWhileBroken = latencyCount(broken);

      deployPersistence(node, persistenceConfig);
      PrometheusText recovered = awaitScrape(node, s -> latencyCount(s) >= latencyWhileBroken + 3);
      // Once canaries arrive again, failures stop: two scrapes a few rounds apart count the same failures.
      Thread.sleep(600);
      PrometheusText later = node.scrape();
      assertTrue(latencyCount(later) > latencyCount(recovered), "latency keeps being observed");
      for (String stage : java.util.List.of("publish", "deliver", "connect", "peer")) {
        assertEquals(recovered.value(FAILURES, "stage", stage), later.value(FAILURES, "stage", stage),
            "no " + stage + " failure counted once canaries arrive again");
      }
      assertEquals(0, later.value(FAILURES, "stage", "connect"), "the loopback subscriber stayed connected");
    }
  }

  @Test
  void offWhenTheIntervalIsZero() throws Exception {
    try (TestNode node = TestNode.start(Map.of("SB_NODE_ID", NODE_ID, "SB_CANARY_INTERVAL", "0"))) {
      Thread.sleep(300);
      PrometheusText scrape = node.scrape();
      assertEquals(0, latencyCount(scrape));
      assertEquals(0, failures(scrape));
    }
  }

  private static String deployPersistence(TestNode node, JsonObject config) throws Exception {
    return node.vertx.deployVerticle(new PersistenceVerticle(), new DeploymentOptions().setConfig(config))
        .await(10, TimeUnit.SECONDS);
  }

  private static double latencyCount(PrometheusText scrape) {
    return scrape.value(LATENCY_COUNT, "source", NODE_ID);
  }

  private static double failures(PrometheusText scrape) {
    return scrape.sum(FAILURES);
  }

  private static PrometheusText awaitScrape(TestNode node, Predicate<PrometheusText> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    PrometheusText scrape = node.scrape();
    while (!condition.test(scrape)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + WAIT.toSeconds() + " s; last scrape: "
            + scrape.matching(LATENCY_COUNT) + " " + scrape.matching(FAILURES));
      }
      Thread.sleep(100);
      scrape = node.scrape();
    }
    return scrape;
  }
}
