package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example applications (examples/, copied into the jar by the build) at {@code /examples/}: served with a
 * Content-Security-Policy that forbids inline script while dev tokens are on, and absent (the JSON 404) otherwise.
 * The applications themselves are exercised in Chromium by examples/browser-test.
 */
class ExamplePagesTest {

  private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  @RegisterExtension
  static final TestNode devNode = TestNode.perClass();

  @RegisterExtension
  static final TestNode productionNode = TestNode.perClass(Map.of("SB_DEV_TOKENS", "false"));

  @Test
  void servesTheIndexAndEachApplicationWithAPolicyThatForbidsInlineScript() {
    for (String path : new String[] {"/examples/", "/examples/live-poll/", "/examples/chat/", "/examples/task-board/"}) {
      HttpResponse<Buffer> page = devNode.get(path, null);
      assertEquals(200, page.statusCode(), path);
      assertTrue(page.getHeader("Content-Type").startsWith("text/html"), path);
      assertEquals(POLICY, page.getHeader("Content-Security-Policy"), path);
      assertEquals("nosniff", page.getHeader("X-Content-Type-Options"), path);
      assertTrue(!page.bodyAsString().contains("<script>"), path + " has no inline script");
    }
    HttpResponse<Buffer> bare = TestNode.send(devNode.http.get("/examples").followRedirects(false), null);
    assertEquals(302, bare.statusCode());
    assertEquals("/examples/", bare.getHeader("Location"));
    HttpResponse<Buffer> module = devNode.get("/examples/chat/main.js", null);
    assertEquals(200, module.statusCode());
    assertTrue(module.getHeader("Content-Type").contains("javascript"), module.getHeader("Content-Type"));
    assertEquals(POLICY, module.getHeader("Content-Security-Policy"));
  }

  @Test
  void leavesTheTestsOutAndAnswersMissingFilesWithTheJson404() {
    for (String path : new String[] {"/examples/nope.js", "/examples/package.json",
        "/examples/browser-test/examples.test.mjs", "/examples/test/poll-state.test.js", "/examples/pom.xml"}) {
      HttpResponse<Buffer> answer = devNode.get(path, null);
      assertEquals(404, answer.statusCode(), path);
      assertEquals("not_found", answer.bodyAsJsonObject().getJsonObject("error").getString("code"), path);
    }
  }

  @Test
  void isNotServedWithoutDevTokens() {
    for (String path : new String[] {"/examples/", "/examples/chat/", "/examples/shared/style.css"}) {
      HttpResponse<Buffer> answer = productionNode.get(path, null);
      assertEquals(404, answer.statusCode(), path);
      assertEquals("not_found", answer.bodyAsJsonObject().getJsonObject("error").getString("code"), path);
    }
  }
}
