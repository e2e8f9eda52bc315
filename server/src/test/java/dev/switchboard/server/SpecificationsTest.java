package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node serves docs/openapi.yaml and docs/asyncapi.yaml as they are in the repository, and the checker that every
 * end-to-end test runs ({@link WireSpecs}) refuses what the specifications do not describe.
 */
class SpecificationsTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void servesBothSpecificationsAsTheRepositoryHasThem() throws Exception {
    for (String file : List.of("openapi.yaml", "asyncapi.yaml")) {
      HttpResponse<Buffer> answer = node.get("/docs/" + file, null);
      assertEquals(200, answer.statusCode());
      assertEquals("application/yaml; charset=utf-8", answer.getHeader("Content-Type"));
      assertEquals(Files.readString(Path.of("..", "docs", file)), answer.bodyAsString(), file);
    }
  }

  @Test
  void aFrameWithAFieldTheSpecDoesNotDescribeIsRefused() {
    String event = "{\"type\":\"event\",\"eventId\":\"7\",\"eventType\":\"vote\",\"timestamp\":\"2026-12-03T10:00:00.123Z\","
        + "\"sessionId\":\"poll:42\",\"userId\":\"ada\",\"payload\":{\"option\":\"b\"}";
    assertEquals(List.of(), WireSpecs.get().frameProblems(WireSpecs.WEB_SOCKET, event + "}"));
    assertProblem("extra", WireSpecs.get().frameProblems(WireSpecs.WEB_SOCKET, event + ",\"extra\":1}"));
    assertProblem("eventId", WireSpecs.get().frameProblems(WireSpecs.WEB_SOCKET,
        event.replace("\"eventId\":\"7\"", "\"eventId\":7") + "}"));
    assertProblem("timestamp", WireSpecs.get().frameProblems(WireSpecs.SERVER_SENT_EVENTS,
        event.replace(".123Z", "Z") + "}"));
  }

  @Test
  void aFrameTypeTheChannelDoesNotCarryIsRefused() {
    assertEquals(List.of(), WireSpecs.get().frameProblems(WireSpecs.WEB_SOCKET, "{\"type\":\"pong\"}"));
    assertProblem("pong", WireSpecs.get().frameProblems(WireSpecs.SERVER_SENT_EVENTS, "{\"type\":\"pong\"}"));
    assertProblem("welcome", WireSpecs.get().frameProblems(WireSpecs.WEB_SOCKET, "{\"type\":\"welcome\"}"));
    assertProblem("publish", WireSpecs.get().frameProblems(WireSpecs.WEB_SOCKET,
        "{\"type\":\"publish\",\"eventType\":\"t\"}"));
  }

  @Test
  void anAnswerTheSpecDoesNotDescribeIsRefused() {
    String stored = "{\"eventId\":\"8\",\"timestamp\":\"2026-12-03T10:00:01.456Z\"}";
    assertEquals(List.of(), WireSpecs.get().responseProblems("POST", "/sessions/poll:42/events", 201,
        "application/json", stored));
    assertProblem("eventId", WireSpecs.get().responseProblems("POST", "/sessions/poll:42/events", 201,
        "application/json", stored.replace("\"8\"", "8")));
    assertProblem("418", WireSpecs.get().responseProblems("POST", "/sessions/poll:42/events", 418,
        "application/json", "{\"error\":{\"code\":\"internal\",\"message\":\"teapot\",\"retryable\":true}}"));
    assertProblem("text/plain", WireSpecs.get().responseProblems("GET", "/health", 200, "text/plain", "ok"));
    assertProblem("code", WireSpecs.get().responseProblems("GET", "/ready", 503, "application/json",
        "{\"error\":{\"code\":\"starting\",\"message\":\"not yet\",\"retryable\":true}}"));
    assertProblem("no such operation", WireSpecs.get().responseProblems("GET", "/stats", 200, "text/plain", ""));
    assertEquals(List.of(), WireSpecs.get().responseProblems("GET", "/stats", 404, "application/json",
        "{\"error\":{\"code\":\"not_found\",\"message\":\"no such resource: GET /stats\",\"retryable\":false}}"));
    assertEquals(List.of(), WireSpecs.get().responseProblems("GET", "/metrics", 200,
        "text/plain; version=0.0.4; charset=utf-8", "# TYPE up gauge\nup 1\n"));
    assertProblem("application/json", WireSpecs.get().responseProblems("GET", "/metrics", 200, "application/json",
        "{}"));
  }

  private static void assertProblem(String mentioned, List<String> problems) {
    assertTrue(problems.stream().anyMatch(problem -> problem.contains(mentioned)),
        "expected a problem mentioning '" + mentioned + "', got " + problems);
  }
}
