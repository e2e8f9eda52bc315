package dev.switchboard.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code history} option of namespaces (docs/PROTOCOL.md, Namespaces), on two nodes: one keeps events for the
 * default 24 h but gives a namespace a window of 2 s; the other keeps them for 2 s but gives one namespace
 * {@code "keep"} and another an hour. Retention then runs every second (a tenth of the shortest window, at least 1 s).
 */
class NamespaceHistoryTest {

  @RegisterExtension
  static final TestNode shortNamespace = TestNode.perClass(new JsonObject().put("namespaces", new JsonObject()
      .put("brief", new JsonObject().put("history", "2s"))), Map.of());

  @RegisterExtension
  static final TestNode shortGlobal = TestNode.perClass(new JsonObject().put("namespaces", new JsonObject()
      .put("doc", new JsonObject().put("history", "keep"))
      .put("hour", new JsonObject().put("history", "1h"))), Map.of("SB_HISTORY_TTL", "2s"));

  /** Long enough for several sweeps on a busy machine. */
  private static final long SWEPT_WITHIN_MS = 20_000;

  private final String token = TestTokens.user("ada", List.of("*"), List.of("*"));

  @Test
  void aNamespaceWithAShortWindowLosesItsOldEventsAndAResumeIsReset() {
    publish(shortNamespace, "plain-1", 3);
    publish(shortNamespace, "brief:1", 3);

    awaitSwept(shortNamespace, "brief:1");
    assertEquals(3, history(shortNamespace, "plain-1").size(), "other sessions keep the global window");
    try (WsClient socket = shortNamespace.connect("sessionId=brief:1&fromEventId=1", token)) {
      JsonObject reset = socket.next("reset");
      assertEquals("history_expired", reset.getString("reason"));
      assertEquals("3", reset.getString("lastEventId"));
    }
  }

  @Test
  void aNamespaceThatKeepsAndOneWithALongerWindowOutliveTheGlobalWindow() {
    publish(shortGlobal, "doc:1", 3);
    publish(shortGlobal, "hour:1", 3);
    publish(shortGlobal, "plain-2", 3);

    awaitSwept(shortGlobal, "plain-2");
    assertEquals(3, history(shortGlobal, "doc:1").size(), "\"keep\" keeps");
    assertEquals(3, history(shortGlobal, "hour:1").size(), "an hour is not over");
  }

  private void publish(TestNode node, String session, int count) {
    for (int n = 1; n <= count; n++) {
      assertEquals(201, node.post("/sessions/" + session + "/events", token,
          new JsonObject().put("eventType", "note").put("payload", new JsonObject().put("n", n))).statusCode());
    }
  }

  private JsonArray history(TestNode node, String session) {
    return node.get("/sessions/" + session + "/events", token).bodyAsJsonObject().getJsonArray("events");
  }

  /** Waits until retention has deleted every event of {@code session}. */
  private void awaitSwept(TestNode node, String session) {
    long deadline = System.currentTimeMillis() + SWEPT_WITHIN_MS;
    while (!history(node, session).isEmpty()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(session + " still has events after " + SWEPT_WITHIN_MS + " ms");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
