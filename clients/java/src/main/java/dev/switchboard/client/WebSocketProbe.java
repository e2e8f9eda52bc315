package dev.switchboard.client;

import com.eclipsesource.json.JsonObject;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * Whether a WebSocket to the node works right now: opens one with no session and waits for {@code connected}. Used
 * while on SSE, to return to WebSocket once a proxy lets it through again. Completes true or false on the client loop.
 */
final class WebSocketProbe {

  private WebSocketProbe() {
  }

  static CompletableFuture<Boolean> probe(LinkContext ctx, String token) {
    CompletableFuture<Boolean> works = new CompletableFuture<>();
    Request request = new Request.Builder().url(ctx.baseUrl.newBuilder().addPathSegment("events").build())
        .header("Authorization", "Bearer " + token).build();
    WebSocket socket = ctx.http.newWebSocket(request, new WebSocketListener() {
      @Override
      public void onMessage(WebSocket webSocket, String text) {
        JsonObject frame = Frames.parse(text);
        settle(webSocket, frame != null && "connected".equals(Frames.type(frame)));
      }

      @Override
      public void onClosing(WebSocket webSocket, int code, String reason) {
        settle(webSocket, false);
      }

      @Override
      public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
        settle(webSocket, false);
      }

      private void settle(WebSocket webSocket, boolean ok) {
        webSocket.close(1000, null);
        ctx.loop.execute(() -> works.complete(ok));
      }
    });
    ScheduledFuture<?> timeout = ctx.loop.schedule(ctx.options.connectTimeoutMs, () -> {
      socket.cancel();
      works.complete(false);
    });
    works.whenComplete((ok, failure) -> {
      if (timeout != null) {
        timeout.cancel(false);
      }
    });
    return works;
  }
}
