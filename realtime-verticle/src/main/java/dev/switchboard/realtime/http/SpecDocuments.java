package dev.switchboard.realtime.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the machine-readable contract, {@code GET /docs/openapi.yaml} and {@code GET /docs/asyncapi.yaml}, so that
 * a tool can point at a running node. Both files come from {@code docs/} of the repository, packaged into this
 * module's jar by its build; the OpenAPI file refers to the AsyncAPI file's schemas by the relative path
 * {@code ./asyncapi.yaml}, which resolves to the second route.
 */
public final class SpecDocuments {

  static final String OPENAPI = "openapi.yaml";
  static final String ASYNCAPI = "asyncapi.yaml";
  private static final String RESOURCE_DIR = "switchboard-specs/";
  /** RFC 9512's media type for YAML. */
  private static final String CONTENT_TYPE = "application/yaml; charset=utf-8";

  private SpecDocuments() {
  }

  public static void mount(Router router) {
    for (String file : new String[] {OPENAPI, ASYNCAPI}) {
      Buffer document = read(file);
      router.get("/docs/" + file).handler(ctx -> ctx.response().putHeader("Content-Type", CONTENT_TYPE)
          .putHeader("Cache-Control", "no-cache").end(document));
    }
  }

  private static Buffer read(String file) {
    try (InputStream in = SpecDocuments.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE_DIR + file + " is not on the classpath: the build packages it");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
