package dev.switchboard.server.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** What the multi-process cluster tests share: free ports, bounded waits, a token from a node. */
final class ClusterHarness {

  private ClusterHarness() {
  }

  /** A dev token for user {@code tester}, minted by the node on {@code port}, allowed every session. */
  static String devToken(WebClient http, int port) throws TimeoutException {
    return devToken(http, port, "tester");
  }

  /** A dev token for {@code user}, minted by the node on {@code port}, allowed every session. */
  static String devToken(WebClient http, int port, String user) throws TimeoutException {
    var request = http.post(port, "127.0.0.1", "/dev/token");
    var answer = request.sendJsonObject(new JsonObject().put("sub", user)
            .put("sessions", new JsonArray().add("*")).put("publish", new JsonArray().add("*")))
        .await(10, TimeUnit.SECONDS);
    SpecCheckedWire.INSTANCE.httpAnswer(request, answer);
    return answer.bodyAsJsonObject().getString("token");
  }

  /** Waits up to a minute for {@code condition}; fails naming {@code what}. */
  static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
