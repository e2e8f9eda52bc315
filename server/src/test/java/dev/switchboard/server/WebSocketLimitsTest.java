package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slow consumers and silent clients are closed with their codes; the others keep going. */
class WebSocketLimitsTest {

  private static final String ALICE = TestTokens.user("alice", List.of("*"), List.of("*"));

  @Test
  void aSubscriberThatStopsReadingIsClosedWith4009AndOthersKeepReceiving() {
    try (TestNode node = TestNode.start()) {
      WsClient slow = node.connect("sessionId=firehose", ALICE);
      WsClient fast = node.connect("sessionId=firehose", ALICE);
      slow.next("presence.state");
      fast.next("presence.state");
      slow.socket().pause();
      String big = "x".repeat(50_000);
      int count = 400;
      for (int n = 1; n <= count; n++) {
        node.publish(ALICE, "firehose", new JsonObject().put("n", n).put("fill", big));
      }
      List<JsonObject> events = fast.events(count);
      assertEquals(Integer.toString(count), events.get(count - 1).getString("eventId"));
      slow.socket().resume();
      assertEquals(4009, slow.awaitClose());
      fast.close();
    }
  }

  @Test
  void aClientThatAnswersNoPingIsClosedAfterTwoHeartbeatIntervals() throws Exception {
    try (TestNode node = TestNode.start(Map.of("SB_HEARTBEAT_SEC", "1"))) {
      Buffer received = Buffer.buffer();
      NetSocket socket = rawUpgrade(node, received);
      long deadline = System.currentTimeMillis() + 15_000;
      List<int[]> frames = List.of();
      while (System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        frames = serverFrames(received.copy());
        if (frames.stream().anyMatch(f -> f[0] == 0x8)) {
          break;
        }
      }
      assertTrue(frames.stream().anyMatch(f -> f[0] == 0x9), "the server pinged");
      int[] close = frames.stream().filter(f -> f[0] == 0x8).findFirst()
          .orElseThrow(() -> new AssertionError("no close frame"));
      assertEquals(1001, close[1]);
      socket.close();
    }
  }

  @Test
  void aClientThatPingsByItselfIsNotPingedAsWellAndStaysOpen() throws Exception {
    try (TestNode node = TestNode.start(Map.of("SB_HEARTBEAT_SEC", "1"))) {
      Buffer received = Buffer.buffer();
      NetSocket socket = rawUpgrade(node, received);
      // {"type":"ping"} every 300 ms, as the JavaScript client sends on a quiet socket (masked with a zero key)
      byte[] ping = "{\"type\":\"ping\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Buffer frame = Buffer.buffer().appendByte((byte) 0x81).appendByte((byte) (0x80 | ping.length)).appendInt(0)
          .appendBytes(ping);
      for (int i = 0; i < 12; i++) {
        Thread.sleep(300);
        socket.write(frame.copy());
      }
      Thread.sleep(300);
      List<int[]> frames = serverFrames(received.copy());
      assertTrue(frames.stream().noneMatch(f -> f[0] == 0x8), "still open after 3.9 s of 1 s heartbeats");
      assertTrue(frames.stream().noneMatch(f -> f[0] == 0x9), "a client heard from within the interval is not pinged");
      // {"type":"pong"} is 15 bytes long
      assertEquals(12, frames.stream().filter(f -> f[0] == 0x1 && f[1] == 15).count(), "each ping had its pong");
      socket.close();
    }
  }

  /** A WebSocket upgrade written by hand, so the test sees every frame, control frames included, in {@code into}. */
  private static NetSocket rawUpgrade(TestNode node, Buffer into) throws Exception {
    NetSocket socket = node.vertx.createNetClient().connect(node.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    socket.handler(into::appendBuffer);
    socket.write("GET /events?access_token=" + ALICE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    return socket;
  }

  /** The server's frames after the HTTP 101 answer: {opcode, close code or payload length}. */
  private static List<int[]> serverFrames(Buffer stream) {
    List<int[]> frames = new ArrayList<>();
    String text = stream.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    int pos = text.indexOf("\r\n\r\n");
    if (pos < 0) {
      return frames;
    }
    pos += 4;
    while (pos + 2 <= stream.length()) {
      int opcode = stream.getByte(pos) & 0x0F;
      int length = stream.getByte(pos + 1) & 0x7F;
      int header = 2;
      if (length == 126) {
        if (pos + 4 > stream.length()) {
          break;
        }
        length = stream.getUnsignedShort(pos + 2);
        header = 4;
      } else if (length == 127) {
        break;
      }
      if (pos + header + length > stream.length()) {
        break;
      }
      int detail = opcode == 0x8 && length >= 2 ? stream.getUnsignedShort(pos + header) : length;
      frames.add(new int[] {opcode, detail});
      pos += header + length;
    }
    return frames;
  }
}
