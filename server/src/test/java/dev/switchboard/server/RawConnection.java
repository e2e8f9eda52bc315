package dev.switchboard.server;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One plain TCP connection to a node from a chosen loopback address (127.0.0.x): for what an HTTP client library
 * will not do, such as sending half a request, nothing at all, or a body one byte at a time.
 */
final class RawConnection implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Connects from {@code localAddress} (any port) to the node. */
  static RawConnection open(TestNode node, String localAddress) {
    try {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", node.port()), 5_000);
      socket.setSoTimeout(15_000);
      return new RawConnection(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} as it is (ISO-8859-1). */
  RawConnection write(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A whole GET request with keep-alive and optional extra header lines ("Name: value"). */
  RawConnection get(String path, String... headers) {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    return write(request.append("\r\n").toString());
  }

  /**
   * Writes one byte every {@code everyMs} until the node closes the connection; true when it did within
   * {@code withinMs}.
   */
  boolean trickleUntilClosed(long everyMs, long withinMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + withinMs;
    try {
      while (System.currentTimeMillis() < deadline) {
        socket.getOutputStream().write('x');
        socket.getOutputStream().flush();
        Thread.sleep(everyMs);
        if (in.available() == 0 && closedByPeer(1)) {
          return true;
        }
      }
      return false;
    } catch (IOException writeFailed) {
      return true;
    }
  }

  /** Waits up to {@code withinMs} for the node to close the connection, reading (and dropping) what it sends. */
  boolean awaitClosed(long withinMs) {
    return closedByPeer((int) withinMs);
  }

  private boolean closedByPeer(int timeoutMs) {
    try {
      socket.setSoTimeout(timeoutMs);
      byte[] buffer = new byte[4096];
      long deadline = System.currentTimeMillis() + timeoutMs;
      while (System.currentTimeMillis() <= deadline) {
        if (in.read(buffer) < 0) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (SocketException reset) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one HTTP answer with a Content-Length body. */
  Answer answer() {
    try {
      socket.setSoTimeout(15_000);
      String head = readHead();
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** After a WebSocket upgrade: the code of the close frame the server sends first (unmasked, short). */
  int closeCode() {
    int opcode = frame();
    if (opcode != 0x8) {
      throw new AssertionError("expected a close frame, got opcode " + opcode);
    }
    return lastClose;
  }

  /** After a WebSocket upgrade: the code of the close frame the server sends, skipping its other frames. */
  int awaitCloseFrame() {
    while (frame() != 0x8) {
      // a ping or a text frame: not what the test waits for
    }
    return lastClose;
  }

  /** After a WebSocket upgrade: whether a close frame is among what the server sends within {@code ms}. */
  boolean closeFrameWithin(int ms) {
    try {
      socket.setSoTimeout(ms);
      while (true) {
        if (frame() == 0x8) {
          return true;
        }
      }
    } catch (UncheckedIOException timedOut) {
      return false;
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        socket.setSoTimeout(15_000);
      } catch (SocketException ignored) {
        // closed
      }
    }
  }

  /** After a WebSocket upgrade: sends a client ping control frame (masked, empty). */
  void sendPing() {
    try {
      socket.getOutputStream().write(new byte[] {(byte) 0x89, (byte) 0x80, 1, 2, 3, 4});
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int lastClose;

  /** Reads one server frame (unmasked); returns its opcode and keeps a close frame's code. */
  private int frame() {
    try {
      int first = in.read();
      if (first < 0) {
        throw new AssertionError("closed without a close frame");
      }
      int length = in.read() & 0x7f;
      if (length == 126) {
        length = (in.read() << 8) | in.read();
      } else if (length == 127) {
        throw new AssertionError("unexpectedly large frame");
      }
      byte[] payload = in.readNBytes(length);
      int opcode = first & 0x0f;
      if (opcode == 0x8 && length >= 2) {
        lastClose = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
      }
      return opcode;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before a whole answer: " + head);
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** An HTTP answer: status, headers (lower-case names), body. */
  record Answer(int status, Map<String, String> headers, String body) {
    String errorCode() {
      return new JsonObject(body).getJsonObject("error").getString("code");
    }
  }
}
