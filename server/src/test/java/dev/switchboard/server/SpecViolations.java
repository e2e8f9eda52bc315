package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Fails a test that received anything the contract's specifications do not describe: the test clients
 * ({@link WsClient}, {@link SseClient}, {@link TestNode}'s HTTP requests) report every frame and answer here as it
 * arrives, on whatever thread that is, and this extension (registered for every test class of the module through
 * {@code META-INF/services} and {@code junit-platform.properties}) fails the test after it ran.
 */
public final class SpecViolations implements BeforeEachCallback, AfterEachCallback {

  private static final ConcurrentLinkedQueue<String> VIOLATIONS = new ConcurrentLinkedQueue<>();

  /** Checks a frame the server sent on a WebSocket against docs/asyncapi.yaml. */
  public static void webSocketFrame(String text) {
    record(WireSpecs.get().frameProblems(WireSpecs.WEB_SOCKET, text));
  }

  /** Checks the {@code data:} of an SSE message against docs/asyncapi.yaml. */
  public static void sseFrame(String text) {
    record(WireSpecs.get().frameProblems(WireSpecs.SERVER_SENT_EVENTS, text));
  }

  /** Checks an HTTP answer against docs/openapi.yaml. */
  public static void response(String method, String uri, int status, String contentType, String body) {
    record(WireSpecs.get().responseProblems(method, uri, status, contentType, body));
  }

  /** Checks the answer to a vertx-web-client request against docs/openapi.yaml, and returns it. */
  public static HttpResponse<Buffer> checked(HttpRequest<Buffer> request, HttpResponse<Buffer> response) {
    response(request.method().name(), request.uri(), response.statusCode(), response.getHeader("Content-Type"),
        response.bodyAsString());
    return response;
  }

  private static void record(List<String> problems) {
    VIOLATIONS.addAll(problems);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // Frames of an earlier test's connections that arrived after it ended are that test's, not this one's.
    VIOLATIONS.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> found = new ArrayList<>();
    String problem;
    while ((problem = VIOLATIONS.poll()) != null) {
      found.add(problem);
    }
    if (!found.isEmpty()) {
      throw new AssertionError("the server sent what docs/asyncapi.yaml or docs/openapi.yaml does not describe:\n  "
          + String.join("\n  ", found));
    }
  }
}
