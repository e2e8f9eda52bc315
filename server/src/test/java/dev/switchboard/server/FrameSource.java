package dev.switchboard.server;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** A test connection that receives JSON frames (a WebSocket or an SSE stream). */
interface FrameSource extends AutoCloseable {

  /** The next frame of this type, skipping others; fails when none arrives in time. */
  JsonObject next(String type);

  /** A frame that arrives within {@code millis}, or null. */
  JsonObject poll(long millis);

  @Override
  void close();

  /** The frames as the transport-independent guarantee scenarios see them. */
  default TestSubscriber asSubscriber() {
    FrameSource source = this;
    return new TestSubscriber() {
      @Override
      public void awaitConnected() {
        source.next("connected");
      }

      @Override
      public List<JsonObject> events(int count) {
        List<JsonObject> events = new ArrayList<>(count);
        while (events.size() < count) {
          events.add(source.next("event"));
        }
        return events;
      }

      @Override
      public JsonObject next(String type) {
        return source.next(type);
      }

      @Override
      public JsonObject poll(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        JsonObject frame;
        while ((frame = source.poll(Math.max(1, deadline - System.currentTimeMillis()))) != null) {
          if ("event".equals(frame.getString("type"))) {
            return frame;
          }
        }
        return null;
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }
}
