package dev.switchboard.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every acknowledged event survives a restart of the node, a clean one and a {@code kill -9}. */
class DurabilityTest {

  private static final String ALICE = TestTokens.user("alice", List.of("*"), List.of("*"));

  @Test
  void aRestartKeepsEveryAcknowledgedEventAndContinuesTheSequence(@TempDir Path dataDir) {
    try (TestNode first = TestNode.start(dataDir, Map.of())) {
      for (int n = 1; n <= 30; n++) {
        first.publish(ALICE, "restart", new JsonObject().put("n", n));
      }
    }
    try (TestNode second = TestNode.start(dataDir, Map.of())) {
      JsonArray events = second.get("/sessions/restart/events?after=0&limit=1000", ALICE).bodyAsJsonObject()
          .getJsonArray("events");
      assertEquals(30, events.size());
      for (int i = 0; i < 30; i++) {
        assertEquals(i + 1, events.getJsonObject(i).getJsonObject("payload").getInteger("n"));
      }
      assertEquals(31, second.publish(ALICE, "restart", new JsonObject()));
    }
  }

  @Test
  void killMinus9LosesNoAcknowledgedEvent(@TempDir Path dataDir) throws Exception {
    int port = freePort();
    Process server = startServerProcess(dataDir, port);
    Vertx vertx = Vertx.vertx();
    WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    try {
      awaitReady(http);
      Set<Integer> acked = ConcurrentHashMap.newKeySet();
      AtomicInteger next = new AtomicInteger();
      for (int lane = 0; lane < 8; lane++) {
        publishLoop(http, next, acked);
      }
      long deadline = System.currentTimeMillis() + 30_000;
      while (acked.size() < 300 && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      Set<Integer> ackedAtKill = Set.copyOf(acked);
      assertTrue(ackedAtKill.size() >= 300, "the server acknowledged " + ackedAtKill.size() + " publishes");

      server = startServerProcess(dataDir, port);
      awaitReady(http);
      JsonArray stored = new JsonArray();
      long after = 0;
      while (true) {
        var request = http.get("/sessions/crash/events?limit=1000&after=" + after).bearerTokenAuthentication(ALICE);
        JsonObject page = SpecViolations.checked(request, request.send().await(10, TimeUnit.SECONDS))
            .bodyAsJsonObject();
        if (page.getJsonArray("events").isEmpty()) {
          break;
        }
        page.getJsonArray("events").forEach(stored::add);
        after = Long.parseLong(page.getString("lastEventId"));
      }
      Set<Integer> storedNumbers = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < stored.size(); i++) {
        assertEquals(Long.toString(i + 1), stored.getJsonObject(i).getString("eventId"), "gapless after the crash");
        storedNumbers.add(stored.getJsonObject(i).getJsonObject("payload").getInteger("n"));
      }
      assertTrue(storedNumbers.containsAll(ackedAtKill), "every acknowledged event is stored");
    } finally {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Publishes numbered events one after another until the server stops answering. */
  private static void publishLoop(WebClient http, AtomicInteger next, Set<Integer> acked) {
    int n = next.incrementAndGet();
    var request = http.post("/sessions/crash/events").bearerTokenAuthentication(ALICE);
    request.sendJsonObject(new JsonObject().put("eventType", "t").put("payload", new JsonObject().put("n", n)))
        .onSuccess(response -> {
          SpecViolations.checked(request, response);
          if (response.statusCode() == 201) {
            acked.add(n);
            publishLoop(http, next, acked);
          }
        });
  }

  private static Process startServerProcess(Path dataDir, int port) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.switchboard.server.Main");
    builder.environment().put("SB_HTTP_PORT", Integer.toString(port));
    builder.environment().put("SB_HTTP_HOST", "127.0.0.1");
    builder.environment().put("SB_DATA_DIR", dataDir.toString());
    builder.environment().put("SB_JWT_SECRET", TestTokens.SECRET);
    builder.environment().put("SB_PUBLISH_RATE", "0");
    builder.redirectErrorStream(true).redirectOutput(dataDir.resolve("server-" + System.nanoTime() + ".log").toFile());
    return builder.start();
  }

  private static void awaitReady(WebClient http) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        HttpResponse<Buffer> response = http.get("/ready").send().await(2, TimeUnit.SECONDS);
        if (response.statusCode() == 200) {
          return;
        }
      } catch (Exception notYet) {
        // The process is still starting.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the server process did not become ready");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
