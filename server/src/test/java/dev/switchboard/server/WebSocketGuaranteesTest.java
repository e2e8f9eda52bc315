package dev.switchboard.server;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** The delivery guarantees over WebSocket. */
class WebSocketGuaranteesTest extends DeliveryGuaranteesContract {

  @Override
  protected TestSubscriber subscribe(String sessionId, Long fromEventId) {
    WsClient client = node.connect("sessionId=" + sessionId
        + (fromEventId == null ? "" : "&fromEventId=" + fromEventId) + "&access_token=" + token);
    return new TestSubscriber() {
      @Override
      public void awaitConnected() {
        client.next("connected");
      }

      @Override
      public List<JsonObject> events(int count) {
        return client.events(count);
      }

      @Override
      public JsonObject next(String type) {
        return client.next(type);
      }

      @Override
      public JsonObject poll(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        JsonObject frame;
        while ((frame = client.poll(Math.max(1, deadline - System.currentTimeMillis()))) != null) {
          if ("event".equals(frame.getString("type"))) {
            return frame;
          }
        }
        return null;
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }
}
