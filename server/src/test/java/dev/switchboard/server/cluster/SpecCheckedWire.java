package dev.switchboard.server.cluster;

import dev.switchboard.server.SpecViolations;
import dev.switchboard.testsupport.WireObserver;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;

/**
 * Hands every frame and answer the cluster harness receives to {@link SpecViolations}, which fails the test that
 * received anything docs/asyncapi.yaml or docs/openapi.yaml does not describe.
 */
final class SpecCheckedWire implements WireObserver {

  static final WireObserver INSTANCE = new SpecCheckedWire();

  private SpecCheckedWire() {
  }

  @Override
  public void webSocketFrame(String text) {
    SpecViolations.webSocketFrame(text);
  }

  @Override
  public void sseData(String data) {
    SpecViolations.sseFrame(data);
  }

  @Override
  public void httpAnswer(HttpRequest<Buffer> request, HttpResponse<Buffer> response) {
    SpecViolations.checked(request, response);
  }
}
