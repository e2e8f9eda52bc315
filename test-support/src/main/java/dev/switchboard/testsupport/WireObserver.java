package dev.switchboard.testsupport;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;

/**
 * Sees every frame and HTTP answer the shared clients receive, as it arrives and on whatever thread that is. The
 * server's tests pass one that checks each against docs/asyncapi.yaml and docs/openapi.yaml; the benchmarks pass
 * {@link #NONE}. Every method is abstract so that an observer cannot miss a kind by forgetting it.
 */
public interface WireObserver {

  /** Looks at nothing. */
  WireObserver NONE = new WireObserver() {
    @Override
    public void webSocketFrame(String text) {
    }

    @Override
    public void sseData(String data) {
    }

    @Override
    public void httpAnswer(HttpRequest<Buffer> request, HttpResponse<Buffer> response) {
    }
  };

  /** A text frame the server sent on a WebSocket. */
  void webSocketFrame(String text);

  /** The {@code data} of a message the server sent on an SSE stream. */
  void sseData(String data);

  /** The answer to a vertx-web-client request. */
  void httpAnswer(HttpRequest<Buffer> request, HttpResponse<Buffer> response);
}
