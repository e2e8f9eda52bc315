package dev.switchboard.server;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/** A test connection that receives JSON frames (a WebSocket or an SSE stream). */
interface FrameSource extends AutoCloseable {

  /** The next frame of this type, skipping others; fails when none arrives in time. */
  default JsonObject next(String type) {
    return next(type, this::poll, this);
  }

  /** A frame that arrives within {@code millis}, or null. */
  JsonObject poll(long millis);

  /**
   * The next frame of {@code type} that {@code poll} (a frame within the given millis, or null) yields within
   * {@link WsClient#WAIT_SECONDS}, skipping others; fails, naming {@code source}, when none does.
   */
  static JsonObject next(String type, LongFunction<JsonObject> poll, Object source) {
    long deadline = System.currentTimeMillis() + WsClient.WAIT_SECONDS * 1000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject frame = poll.apply(deadline - System.currentTimeMillis());
      if (frame != null && type.equals(frame.getString("type"))) {
        return frame;
      }
    }
    throw new AssertionError("no " + type + " frame within " + WsClient.WAIT_SECONDS + " s (" + source + ")");
  }

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
