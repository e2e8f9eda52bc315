package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.realtime.wire.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * An event with its {@code event} frame encoded once, shared by every subscriber a hub writes it to.
 *
 * <p>For WebSockets it also keeps the whole frame as it goes on the wire (server frames are not masked, so it is the
 * same bytes for every socket), in one direct buffer built on first use: each socket writes a retained duplicate
 * under the WebSocket encoder, with no per-socket header, allocation or copy to native memory. Whoever made the
 * event calls {@link #release()} once every write has been issued; the writes still queued keep the bytes alive.
 *
 * <p>Not thread-safe: used on the edge's event loop.
 */
public final class EncodedEvent {

  private final long seq;
  private final Buffer frame;
  private final long committedAtMicros;
  private ByteBuf wire;

  /** @param frame UTF-8 JSON of the WebSocket {@code event} frame (also the SSE {@code data:} and long-poll element) */
  public EncodedEvent(long seq, Buffer frame) {
    this(seq, frame, 0);
  }

  private EncodedEvent(long seq, Buffer frame, long committedAtMicros) {
    this.seq = seq;
    this.frame = frame;
    this.committedAtMicros = committedAtMicros;
  }

  /** An event read from the log (replayed or repaired): its commit time is not known. */
  public static EncodedEvent of(StoredEvent event) {
    return of(event, 0);
  }

  /** A live event, with its batch's commit time ({@code MicrosClock}, 0 when unknown). */
  public static EncodedEvent of(StoredEvent event, long committedAtMicros) {
    return new EncodedEvent(event.seq(), Frames.event(event), committedAtMicros);
  }

  /** When the event committed, in microseconds since the epoch, or 0 when unknown. */
  public long committedAtMicros() {
    return committedAtMicros;
  }

  public long seq() {
    return seq;
  }

  public Buffer frame() {
    return frame;
  }

  /** The WebSocket text frame (FIN, opcode 1, unmasked) carrying {@link #frame()}, for one socket's write. */
  public ByteBuf wireFrameForOneWrite() {
    if (wire == null) {
      ByteBuf payload = ((BufferInternal) frame).getByteBuf();
      int length = payload.readableBytes();
      int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
      wire = PooledByteBufAllocator.DEFAULT.directBuffer(header + length);
      wire.writeByte(0x81);
      if (length < 126) {
        wire.writeByte(length);
      } else if (length <= 0xFFFF) {
        wire.writeByte(126).writeShort(length);
      } else {
        wire.writeByte(127).writeLong(length);
      }
      wire.writeBytes(payload, payload.readerIndex(), length);
    }
    return wire.retainedDuplicate();
  }

  /** Gives back the shared wire frame, if one was built; writes already issued keep their own references. */
  public void release() {
    if (wire != null) {
      wire.release();
      wire = null;
    }
  }
}
