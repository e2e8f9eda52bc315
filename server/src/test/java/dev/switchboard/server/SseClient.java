package dev.switchboard.server;

import dev.switchboard.testsupport.SseParser;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test's Server-Sent Events stream: its messages as frames, and the last id read. */
final class SseClient implements FrameSource {

  private final HttpClientRequest request;
  final HttpClientResponse response;
  private final LinkedBlockingQueue<Block> frames = new LinkedBlockingQueue<>();
  private final SseParser parser = new SseParser(new SseParser.Listener() {
    @Override
    public void onMessage(SseParser.Message message) {
      SpecViolations.sseFrame(message.data());
      frames.add(new Block(message.lastEventId(), new JsonObject(message.data())));
    }

    @Override
    public void onRetry(long millis) {
      retry = Long.toString(millis);
    }
  });
  /** The {@code id:} of the last event the test has read (not merely received). */
  volatile String lastId;
  volatile String retry;
  volatile boolean ended;

  private SseClient(HttpClientRequest request, HttpClientResponse response) {
    this.request = request;
    this.response = response;
    String contentType = response.getHeader("Content-Type");
    if (response.statusCode() == 200) {
      SpecViolations.response("GET", request.getURI(), 200, contentType, null);
      response.handler(parser::feed);
      response.endHandler(v -> ended = true);
      response.exceptionHandler(e -> ended = true);
    } else {
      // A refused stream answers with a JSON error body, which openapi.yaml describes.
      response.body().onComplete(body -> {
        ended = true;
        SpecViolations.response("GET", request.getURI(), response.statusCode(), contentType,
            body.succeeded() ? body.result().toString() : null);
      });
      // No exception handler here: body() has taken the response, which may already have ended (a short refusal
      // read in one go), and its failure ends the client too.
    }
  }

  static SseClient open(TestNode node, String uri, Map<String, String> headers) {
    return open(node, node.vertx.createHttpClient(node.sse), uri, headers);
  }

  /** Opens a stream through {@code client}: over HTTP/2, many streams share one of its connections. */
  static SseClient open(TestNode node, HttpClient client, String uri, Map<String, String> headers) {
    // All on one context: the response's head and first chunks are emitted on it only after this task has attached
    // the handlers, however soon they arrive (from the test's thread, a quick answer could come before them).
    Promise<SseClient> opened = Promise.promise();
    node.vertx.getOrCreateContext().runOnContext(v -> client.request(HttpMethod.GET, node.port(), "127.0.0.1", uri)
        .compose(request -> {
          request.putHeader("Accept", "text/event-stream");
          headers.forEach(request::putHeader);
          return request.send().map(response -> new SseClient(request, response));
        })
        .onComplete(opened));
    try {
      return opened.future().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot open " + uri, e);
    }
  }

  @Override
  public JsonObject poll(long millis) {
    try {
      Block block = frames.poll(millis, TimeUnit.MILLISECONDS);
      if (block == null) {
        return null;
      }
      if ("event".equals(block.data.getString("type"))) {
        lastId = block.id;
      }
      return block.data;
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "SSE stream, ended: " + ended;
  }

  @Override
  public void close() {
    request.connection().close();
  }

  /** Ends only this stream (an HTTP/2 RST_STREAM): the others on its connection stay open. */
  void reset() {
    request.reset();
  }

  /** One parsed block: its data and the stream's id as of that block. */
  private record Block(String id, JsonObject data) {
  }
}
