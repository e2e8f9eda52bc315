package dev.switchboard.realtime.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the example applications of {@code examples/} (live poll, chat, task board and their index) at
 * {@code /examples/}, only where dev tokens are on: they sign their users in with {@code POST /dev/token}, so a node
 * without that door has nothing to offer them and answers the usual JSON 404 instead.
 *
 * <p>Every answer carries a Content-Security-Policy that allows scripts, styles and connections from the node's own
 * origin only and no inline script, so user content that slipped into the page as markup still could not run.
 */
public final class ExamplePages {

  /** Where the server module's build puts the pages on the classpath. */
  private static final String RESOURCE_DIR = "switchboard-examples";
  static final String PATH = "/examples/*";
  /** 'self' also covers the same origin's ws: and wss: in connect-src (CSP Level 3). */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private ExamplePages() {
  }

  public static void mount(Router router, boolean devTokens) {
    if (!devTokens) {
      return;
    }
    // Without the slash the pages' relative links would resolve against the root.
    // (A route for "/examples" also matches "/examples/", which goes on to the files.)
    router.get("/examples").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.response().setStatusCode(302).putHeader("Location", "/examples/").end();
      }
    });
    router.route(PATH).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ExamplePages::secureHeaders)
        .handler(StaticHandler.create(RESOURCE_DIR).setCachingEnabled(false).setIncludeHidden(false));
  }

  private static void secureHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
