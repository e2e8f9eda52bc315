package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page at {@code /} and the JavaScript client's modules beside it (copied from clients/js/src at build time),
 * without shadowing the API: a path with no file still answers the JSON 404. The page itself is exercised in a
 * browser by clients/js/browser-test.
 */
class DemoPageTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void servesThePageAndTheClientModules() {
    HttpResponse<Buffer> page = node.get("/", null);
    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"), page.getHeader("Content-Type"));
    assertTrue(page.bodyAsString().contains("app.js"));
    for (String module : new String[] {"/app.js", "/client/index.js", "/client/transports/sse.js"}) {
      HttpResponse<Buffer> script = node.get(module, null);
      assertEquals(200, script.statusCode(), module);
      // Browsers run module scripts only with a JavaScript MIME type.
      String type = script.getHeader("Content-Type");
      assertTrue(type.contains("javascript"), module + ": " + type);
    }
  }

  @Test
  void missingFilesAndUnknownRoutesStillAnswerTheJson404() {
    for (String path : new String[] {"/client/nope.js", "/nowhere", "/client/"}) {
      HttpResponse<Buffer> answer = node.get(path, null);
      assertEquals(404, answer.statusCode(), path);
      assertEquals("not_found", answer.bodyAsJsonObject().getJsonObject("error").getString("code"), path);
    }
  }

  @Test
  void apiRoutesAreNotShadowed() {
    assertEquals("ok", node.get("/health", null).bodyAsJsonObject().getString("status"));
    assertEquals(400, node.get("/events", null).statusCode());
  }
}
