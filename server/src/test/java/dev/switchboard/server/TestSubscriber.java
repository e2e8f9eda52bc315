package dev.switchboard.server;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** A subscriber over one transport, as the transport-independent guarantee scenarios see it. */
interface TestSubscriber extends AutoCloseable {

  /** Waits until the subscription is in place (the {@code connected} frame, or its transport's equivalent). */
  void awaitConnected();

  /** The next {@code count} events, in the order received. */
  List<JsonObject> events(int count);

  /** The next frame of this type, skipping others ({@code event}, {@code replayed}, {@code reset}, ...). */
  JsonObject next(String type);

  /** An event that arrives within {@code millis} (other frames are skipped), or null. */
  JsonObject poll(long millis);

  /** Whether the transport sends a {@code replayed} frame (long polling has no frames, only answers). */
  default boolean announcesReplayEnd() {
    return true;
  }

  /** Drops the connection as a network failure would. */
  @Override
  void close();
}
