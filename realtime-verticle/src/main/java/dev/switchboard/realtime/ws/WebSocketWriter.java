package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.realtime.hub.EncodedEvent;
import dev.switchboard.realtime.hub.FlushBatch;
import dev.switchboard.realtime.hub.WritableWaiters;
import dev.switchboard.realtime.wire.Refusal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * The outbound side of one WebSocket, and the one place the edge reaches below Vert.x's WebSocket API (Netty's
 * channel, Vert.x internals): frames are written from their shared buffers without a copy, frames of one delivery
 * round are queued and flushed once ({@link FlushBatch}), and an event's whole wire frame, encoded once for every
 * socket, is written under the WebSocket encoder (docs/ARCHITECTURE.md, Fan-out). {@code DirectWritesTest} is the
 * tripwire for the internals.
 *
 * <p>Not thread-safe: used on its edge loop.
 */
public final class WebSocketWriter {

  /** The longest close reason sent; a close frame allows 123 bytes. */
  private static final int MAX_REASON_BYTES = 120;
  private static final int NO_CLOSE_FRAME = 1006;

  private final ServerWebSocket ws;
  /** The socket's Netty channel, for writes batched by {@link FlushBatch} and for its byte-exact writability. */
  private final ChannelHandlerContext channel;
  /**
   * The WebSocket encoder's context: a write there goes to the handlers below it, so an already encoded frame skips
   * the encoder (TLS, if any, still applies). Null if the pipeline has no such encoder, or compresses frames.
   */
  private final ChannelHandlerContext underEncoder;
  private final WritableWaiters writableWaiters = new WritableWaiters();
  private boolean closing;
  private boolean released;
  /** The code of the close frame sent, 0 before one is. */
  private int closeCodeSent;

  /** Takes over {@code ws}'s outbound side; call on its event loop before anything is written to it. */
  WebSocketWriter(ServerWebSocket ws, int outboundLimitBytes) {
    this.ws = ws;
    DirectWrites.apply(ws);
    this.channel = ((WebSocketInternal) ws).channelHandlerContext();
    // A socket with permessage-deflate has its deflater above the encoder: its frames are compressed one by one.
    this.underEncoder = channel.pipeline().get(WebSocketExtensionEncoder.class) != null ? null
        : channel.pipeline().context(WebSocketFrameEncoder.class);
    ws.setWriteQueueMaxSize(outboundLimitBytes);
    ws.drainHandler(v -> writableWaiters.runWhile(() -> !closing && !outboundFull()));
  }

  /** Whether events are written under the WebSocket encoder (else each one is framed by the encoder). */
  boolean writesBelowEncoder() {
    return underEncoder != null;
  }

  /** Sends one text frame at once, unless the socket is closing. */
  void send(Buffer frame) {
    if (!closing) {
      ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) frame).getByteBuf(), true));
    }
  }

  /**
   * Writes an event's frame. Inside a delivery round it is only queued on the channel, and the method answers true
   * when this is the round's first queued frame for the socket, which must then be flushed when the round ends.
   */
  boolean sendEvent(EncodedEvent event, boolean inRound, boolean flushPending) {
    if (closing) {
      return false;
    }
    if (inRound && !outboundFull()) {
      // Vert.x holds writes back only while the channel is unwritable, which this branch excludes, so order is kept.
      if (underEncoder != null) {
        // The frame as it goes on the wire, shared by every socket of the round: no header or copy per socket.
        underEncoder.write(event.wireFrameForOneWrite(), underEncoder.voidPromise());
      } else {
        channel.write(new TextWebSocketFrame(true, 0, ((BufferInternal) event.frame()).getByteBuf()),
            channel.voidPromise());
      }
      return !flushPending;
    }
    send(event.frame());
    return false;
  }

  /** Flushes what {@link #sendEvent} queued during a round. */
  void flush() {
    if (!released) {
      channel.flush();
    }
  }

  /**
   * Whether the outbound queue is past its limit. Netty's channel counts every byte written, also those of batched
   * writes that bypass Vert.x's own queue (which {@code ws.writeQueueFull()} alone would miss).
   */
  boolean outboundFull() {
    return !channel.channel().isWritable() || ws.writeQueueFull();
  }

  /** Runs {@code task} once the outbound queue has room again. */
  void whenWritable(Runnable task) {
    writableWaiters.add(task);
  }

  boolean closing() {
    return closing;
  }

  /**
   * The code that ended the socket: the one this side sent, else the client's, else 1006 (no close frame either way,
   * RFC 6455, 7.4.1).
   */
  int closeCode() {
    Short received = ws.closeStatusCode();
    return closeCodeSent != 0 ? closeCodeSent : received != null ? received : NO_CLOSE_FRAME;
  }

  /** Sends a close frame with a code of the catalogue; nothing is written after it. */
  void close(CloseReason reason, String message) {
    if (closing) {
      return;
    }
    closing = true;
    closeCodeSent = reason.code();
    ws.close(reason.code(), ClientCommands.clip(message, MAX_REASON_BYTES));
  }

  /**
   * Closes from inside a failed read. Vert.x defers flushing writes made during a read, and after a decoder error it
   * closes the channel itself without flushing them, which would lose the close frame; so it is flushed at once.
   */
  private void closeNow(CloseReason reason, String message) {
    if (!closing) {
      close(reason, message);
      channel.flush();
    }
  }

  /**
   * Answers a failed read that is the client's fault: a message over {@code maxFrameBytes} closes with 1009, a
   * malformed frame with 1008. False for any other failure, which the caller logs.
   */
  boolean readFailed(Throwable failure, int maxFrameBytes) {
    if (isTooLarge(failure)) {
      closeNow(Refusal.FRAME_TOO_LARGE.close(), Refusal.FRAME_TOO_LARGE.message(maxFrameBytes));
      return true;
    }
    if (failure instanceof CorruptedWebSocketFrameException) {
      closeNow(Refusal.MALFORMED_WEBSOCKET_FRAME.close(), Refusal.MALFORMED_WEBSOCKET_FRAME.message());
      return true;
    }
    return false;
  }

  private static boolean isTooLarge(Throwable failure) {
    if (failure instanceof CorruptedWebSocketFrameException corrupted) {
      return corrupted.closeStatus() != null
          && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
    }
    // Vert.x's message aggregator reports an over-long fragmented message this way.
    return failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size");
  }

  /** The socket has closed: drop waiting tasks, never touch the channel again. */
  void release() {
    closing = true;
    released = true;
    writableWaiters.clear();
  }
}
