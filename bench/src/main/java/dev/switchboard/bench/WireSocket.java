package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;

/**
 * The generator's own WebSocket client, written straight on a Vert.x {@link NetSocket}: one buffer per read, frames
 * parsed in place and text messages handed over as byte ranges, never as Strings.
 *
 * <p>Vert.x's WebSocket client spent about 10 us of the generator's core per delivery (a frame object, a UTF-8
 * decode and a String per message); at 300,000 deliveries/s the generator, not the server, would set the limit.
 * This one answers pings with pongs, reports the close code, and sends text frames masked with a zero key (servers
 * must accept any key; an unpredictable one only matters to proxies, and there are none on loopback).
 */
final class WireSocket {

  /** Receives one text message as bytes {@code [from, to)} of {@code data}, valid only during the call. */
  interface TextHandler {
    void onText(Buffer data, int from, int to);
  }

  private final NetSocket socket;
  private TextHandler textHandler = (data, from, to) -> { };
  private Runnable closeHandler = () -> { };
  private Buffer pending;
  private Buffer fragments;
  private int closeCode = -1;
  private String closeReason = "";
  private volatile boolean closed;

  private WireSocket(NetSocket socket) {
    this.socket = socket;
  }

  /** Opens a TCP connection with {@code client}, upgrades it at {@code path}, and completes once the server said 101. */
  static Future<WireSocket> connect(NetClient client, String host, int port, String path) {
    return client.connect(port, host).compose(socket -> {
      Promise<WireSocket> upgraded = Promise.promise();
      WireSocket ws = new WireSocket(socket);
      Buffer[] head = {Buffer.buffer()};
      socket.handler(data -> {
        if (head[0] == null) {
          ws.onData(data);
          return;
        }
        head[0].appendBuffer(data);
        int end = headerEnd(head[0]);
        if (end < 0) {
          return;
        }
        Buffer response = head[0];
        head[0] = null;
        if (!response.getString(0, Math.min(12, response.length())).startsWith("HTTP/1.1 101")) {
          socket.close();
          upgraded.tryFail("upgrade refused: " + response.getString(0, Math.min(response.length(), end)).trim());
          return;
        }
        upgraded.tryComplete(ws);
        if (end < response.length()) {
          ws.onData(response.getBuffer(end, response.length()));
        }
      });
      socket.closeHandler(v -> {
        upgraded.tryFail("closed during the upgrade");
        ws.onClosed();
      });
      socket.exceptionHandler(e -> socket.close());
      socket.write("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n");
      return upgraded.future();
    });
  }

  WireSocket textHandler(TextHandler handler) {
    this.textHandler = handler;
    return this;
  }

  /** Runs once, when the connection is gone for whatever reason; {@link #closeCode()} then tells the code if any. */
  WireSocket closeHandler(Runnable handler) {
    this.closeHandler = handler;
    return this;
  }

  /** The close code the server sent, or -1 when the connection ended without a close frame. */
  int closeCode() {
    return closeCode;
  }

  /** The reason text of the server's close frame, empty when there was none. */
  String closeReason() {
    return closeReason;
  }

  boolean isClosed() {
    return closed;
  }

  void sendText(String text) {
    if (!closed) {
      socket.write(frame(0x1, text.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** Sends a frame built once with {@link #textFrame}; the same buffer may go to many sockets. */
  void sendFrame(Buffer frame) {
    if (!closed) {
      socket.write(frame);
    }
  }

  /** True while the socket's write queue is over its high-water mark: a sender should wait for {@link #drainHandler}. */
  boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  /** Runs {@code handler} once the write queue has room again. */
  void drainHandler(Runnable handler) {
    socket.drainHandler(v -> handler.run());
  }

  /** A masked text frame of {@code text}, to send with {@link #sendFrame}. */
  static Buffer textFrame(String text) {
    return frame(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a normal close frame and closes the TCP connection. */
  void close() {
    if (!closed) {
      socket.write(frame(0x8, new byte[] {0x03, (byte) 0xe8}));
      socket.close();
    }
  }

  private static Buffer frame(int opcode, byte[] payload) {
    int length = payload.length;
    Buffer frame = Buffer.buffer(length + 14);
    frame.appendByte((byte) (0x80 | opcode));
    if (length < 126) {
      frame.appendByte((byte) (0x80 | length));
    } else if (length < 65536) {
      frame.appendByte((byte) (0x80 | 126)).appendShort((short) length);
    } else {
      frame.appendByte((byte) (0x80 | 127)).appendLong(length);
    }
    return frame.appendInt(0).appendBytes(payload);
  }

  private void onData(Buffer data) {
    if (pending != null) {
      data = pending.appendBuffer(data);
      pending = null;
    }
    int length = data.length();
    int position = 0;
    while (length - position >= 2) {
      int first = data.getUnsignedByte(position);
      int second = data.getUnsignedByte(position + 1);
      long size = second & 0x7f;
      int header = 2;
      if (size == 126) {
        if (length - position < 4) {
          break;
        }
        size = data.getUnsignedShort(position + 2);
        header = 4;
      } else if (size == 127) {
        if (length - position < 10) {
          break;
        }
        size = data.getLong(position + 2);
        header = 10;
      }
      if ((second & 0x80) != 0 || size > Integer.MAX_VALUE - 16) {
        socket.close();
        return;
      }
      if (length - position - header < size) {
        break;
      }
      int from = position + header;
      int to = from + (int) size;
      onFrame(first, data, from, to);
      position = to;
    }
    if (position < length) {
      pending = data.getBuffer(position, length);
    }
  }

  private void onFrame(int first, Buffer data, int from, int to) {
    boolean fin = (first & 0x80) != 0;
    int opcode = first & 0x0f;
    switch (opcode) {
      case 0x1, 0x0 -> {
        if (fin && fragments == null) {
          textHandler.onText(data, from, to);
        } else {
          fragments = fragments == null ? data.getBuffer(from, to) : fragments.appendBuffer(data, from, to - from);
          if (fin) {
            Buffer message = fragments;
            fragments = null;
            textHandler.onText(message, 0, message.length());
          }
        }
      }
      case 0x8 -> {
        closeCode = to - from >= 2 ? data.getUnsignedShort(from) : 1005;
        closeReason = to - from > 2 ? data.getString(from + 2, to, "UTF-8") : "";
        socket.close();
      }
      case 0x9 -> socket.write(frame(0xA, data.getBytes(from, to)));
      default -> {
        // pong or binary: nothing the benchmarks use
      }
    }
  }

  private void onClosed() {
    if (!closed) {
      closed = true;
      closeHandler.run();
    }
  }

  private static int headerEnd(Buffer head) {
    for (int i = 3; i < head.length(); i++) {
      if (head.getByte(i) == '\n' && head.getByte(i - 1) == '\r' && head.getByte(i - 2) == '\n'
          && head.getByte(i - 3) == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  /** Index of {@code needle} (ASCII) in {@code data[from, to)}, or -1. */
  static int indexOf(Buffer data, int from, int to, byte[] needle) {
    byte head = needle[0];
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      if (data.getByte(i) != head) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (data.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The decimal number starting at {@code from}, or -1 when there is none. */
  static long number(Buffer data, int from, int to) {
    long value = -1;
    for (int i = from; i < to && i >= 0; i++) {
      int c = data.getByte(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = (value < 0 ? 0 : value * 10) + (c - '0');
    }
    return value;
  }
}
