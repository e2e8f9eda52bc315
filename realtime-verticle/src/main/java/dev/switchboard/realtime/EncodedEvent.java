package dev.switchboard.realtime;

import dev.switchboard.protocol.StoredEvent;
import io.vertx.core.buffer.Buffer;

/**
 * An event with its {@code event} frame encoded once, shared by every subscriber a hub writes it to.
 *
 * @param frame UTF-8 JSON of the WebSocket {@code event} frame (also the SSE {@code data:} and long-poll element)
 */
public record EncodedEvent(long seq, Buffer frame) {

  public static EncodedEvent of(StoredEvent event) {
    return new EncodedEvent(event.seq(), Frames.event(event));
  }
}
