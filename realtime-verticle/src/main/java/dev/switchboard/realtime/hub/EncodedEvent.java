package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.realtime.wire.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event with its {@code event} frame encoded once, shared by every subscriber a hub writes it to.
 *
 * <p>For WebSockets it also keeps the whole frame as it goes on the wire (server frames are not masked, so it is the
 * same bytes for every socket), in one direct buffer built on first use: each socket writes a retained duplicate
 * under the WebSocket encoder, with no per-socket header, allocation or copy to native memory. Whoever made the
 * event calls {@link #release()} once every write has been issued; the writes still queued keep the bytes alive.
 *
 * <p>One made by {@link #of} is used on one event loop. One made by {@link #shared} is encoded once for a whole node
 * and handed to every edge loop with subscribers of its session (docs/ARCHITECTURE.md, Threading): its wire frame is
 * built at once, nothing in it changes afterwards, and each loop that takes it {@link #retain() retains} it and
 * releases it once its writes are issued; Netty's reference count is atomic, so no lock is taken.
 */
public final class EncodedEvent {

  private final long seq;
  private final Buffer frame;
  private final long committedAtMicros;
  private final boolean shared;
  /** Of a shared event: the loops that have not finished with it yet. */
  private final AtomicInteger loopsLeft;
  /** Of a shared event: whether some loop wrote it to a live subscriber. */
  private volatile boolean fannedOut;
  private ByteBuf wire;

  /** @param frame UTF-8 JSON of the WebSocket {@code event} frame (also the SSE {@code data:} and long-poll element) */
  public EncodedEvent(long seq, Buffer frame) {
    this(seq, frame, 0, 0);
  }

  /** @param loops 0 for an event used on one loop, else how many loops a shared one is handed to */
  private EncodedEvent(long seq, Buffer frame, long committedAtMicros, int loops) {
    this.seq = seq;
    this.frame = frame;
    this.committedAtMicros = committedAtMicros;
    this.shared = loops > 0;
    this.loopsLeft = shared ? new AtomicInteger(loops) : null;
    if (shared) {
      wire = buildWire(frame);
    }
  }

  /** An event read from the log (replayed or repaired): its commit time is not known. */
  public static EncodedEvent of(StoredEvent event) {
    return of(event, 0);
  }

  /** A live event, with its batch's commit time ({@code MicrosClock}, 0 when unknown). */
  public static EncodedEvent of(StoredEvent event, long committedAtMicros) {
    return new EncodedEvent(event.seq(), Frames.event(event), committedAtMicros, 0);
  }

  /**
   * A live event encoded once for the {@code loops} loops of the node with subscribers of its session, its wire frame
   * built at once; the caller holds one reference, and each loop it hands the event to {@link #retain() one more}.
   */
  public static EncodedEvent shared(StoredEvent event, long committedAtMicros, int loops) {
    return new EncodedEvent(event.seq(), Frames.event(event), committedAtMicros, loops);
  }

  /** Whether this is a {@link #shared} event, whose fan-out ends on the last of its loops. */
  boolean isShared() {
    return shared;
  }

  /** A loop wrote this shared event to its live subscribers. */
  void fannedOutOnOneLoop() {
    fannedOut = true;
  }

  /**
   * A loop is done with this shared event: true for the last one, when some loop wrote it to a live subscriber (its
   * fan-out on this node is then over).
   */
  boolean lastLoopDone() {
    return loopsLeft.decrementAndGet() == 0 && fannedOut;
  }

  /** One more holder of a {@link #shared} event, which will {@link #release()} it; returns this. */
  public EncodedEvent retain() {
    if (!shared) {
      throw new IllegalStateException("only a shared event is retained");
    }
    wire.retain();
    return this;
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
      wire = buildWire(frame);
    }
    return wire.retainedDuplicate();
  }

  private static ByteBuf buildWire(Buffer frame) {
    ByteBuf payload = ((BufferInternal) frame).getByteBuf();
    int length = payload.readableBytes();
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf wire = PooledByteBufAllocator.DEFAULT.directBuffer(header + length);
    wire.writeByte(0x81);
    if (length < 126) {
      wire.writeByte(length);
    } else if (length <= 0xFFFF) {
      wire.writeByte(126).writeShort(length);
    } else {
      wire.writeByte(127).writeLong(length);
    }
    wire.writeBytes(payload, payload.readerIndex(), length);
    return wire;
  }

  /**
   * Gives back this holder's reference to the wire frame, if one was built; writes already issued keep their own
   * references. A shared event is released once by each holder.
   */
  public void release() {
    if (shared) {
      wire.release();
    } else if (wire != null) {
      wire.release();
      wire = null;
    }
  }
}
