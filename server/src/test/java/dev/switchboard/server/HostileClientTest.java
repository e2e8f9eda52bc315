package dev.switchboard.server;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded random fuzzer: hostile clients send thousands of malformed, truncated, oversized, deeply nested, invalid
 * UTF-8 and flooding frames (by count and by bytes), and, beside them, half-sent HTTP headers and URLs with malformed
 * escapes, while an honest client on the same node must receive every event in order. Every answer
 * the hostile clients get must come from the catalogues of docs/PROTOCOL.md (Errors and close codes), and the heap
 * must stay bounded. Replay a failure with {@code -Dfuzz.seed=<the printed seed>}.
 */
class HostileClientTest {

  private static final Set<String> ERROR_CODES = Set.of("bad_request", "unauthorized", "forbidden", "not_found",
      "too_large", "rate_limited", "unavailable", "internal");
  private static final Set<Short> CLOSE_CODES = Set.of((short) 1008, (short) 1009, (short) 4001, (short) 4003,
      (short) 4008);
  private static final Set<String> FRAME_TYPES = Set.of("connected", "event", "replayed", "reset",
      "presence.diff", "presence.state", "signal", "ack", "error", "pong");
  private static final String[] TYPES = {"publish", "signal", "subscribe", "unsubscribe", "presence", "auth",
      "ping", "teleport", ""};
  private static final int HOSTILE_CONNECTIONS = 4;
  private static final int FRAMES_PER_CONNECTION = 1200;
  private static final int HONEST_EVENTS = 30;
  /** One round in this many also makes a raw HTTP attack. */
  private static final int RAW_EVERY = 30;

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Set<String> violations = ConcurrentHashMap.newKeySet();
  /** Set once the test closes its own sockets, whose close codes are the client's, not the server's. */
  private volatile boolean finishing;
  /** The kind of the last frame each socket sent, named in a violation to point at its cause. */
  private final Map<WebSocket, String> lastKind = new ConcurrentHashMap<>();

  @Test
  void anHonestClientReceivesEverythingWhileHostileClientsSendGarbage() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("HostileClientTest seed " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
    Random random = new Random(seed);
    List<RawConnection> slowHeaders = new ArrayList<>();
    try (TestNode node = TestNode.start(Map.of("SB_PUBLISH_RATE", "600", "SB_PUBLISH_BURST", "20",
        "SB_MAX_FRAMES_PER_SEC", "200", "SB_HTTP_HEADER_TIMEOUT", "1s"))) {
      long heapBefore = usedHeapAfterGc();
      String honestToken = TestTokens.user("honest", List.of("honest"), List.of("honest"));
      WsClient honest = node.connect("sessionId=honest", honestToken);
      honest.next("connected");
      WebSocket[] hostile = new WebSocket[HOSTILE_CONNECTIONS];
      int published = 0;
      for (int round = 0; round < FRAMES_PER_CONNECTION; round++) {
        for (int c = 0; c < HOSTILE_CONNECTIONS; c++) {
          if (hostile[c] == null || hostile[c].isClosed()) {
            hostile[c] = openHostile(node, c, random);
          }
          sendHostileFrame(hostile[c], random);
        }
        if (random.nextInt(RAW_EVERY) == 0) {
          rawAttack(node, random, slowHeaders);
        }
        if (round % (FRAMES_PER_CONNECTION / HONEST_EVENTS) == 0 && published < HONEST_EVENTS) {
          node.publish(honestToken, "honest", new JsonObject().put("n", ++published));
        }
        Thread.sleep(5);
      }
      while (published < HONEST_EVENTS) {
        node.publish(honestToken, "honest", new JsonObject().put("n", ++published));
      }
      List<JsonObject> events = honest.events(HONEST_EVENTS);
      for (int i = 0; i < HONEST_EVENTS; i++) {
        assertEquals(Long.toString(i + 1), events.get(i).getString("eventId"));
        assertEquals(i + 1, events.get(i).getJsonObject("payload").getInteger("n"));
      }
      honest.send(new JsonObject().put("type", "ping"));
      honest.next("pong");
      for (RawConnection slow : slowHeaders) {
        if (slow.awaitClosed(5_000)) {
          increment("raw:slow-headers-closed");
        } else {
          violations.add("a connection with half-sent headers stayed open");
        }
      }
      finishing = true;
      for (WebSocket ws : hostile) {
        if (ws != null && !ws.isClosed()) {
          ws.close().await(5, TimeUnit.SECONDS);
        }
      }
      long heapGrowth = usedHeapAfterGc() - heapBefore;
      System.out.println("HostileClientTest seed " + seed + " counts " + new java.util.TreeMap<>(counts)
          + " heap growth " + heapGrowth / 1024 + " KiB");
      assertTrue(violations.isEmpty(), "answers outside the catalogue (seed " + seed + "): " + violations);
      assertEquals(HOSTILE_CONNECTIONS * FRAMES_PER_CONNECTION, count("sent"));
      assertTrue(count("error:bad_request") > 0 && count("close:4008") + count("error:rate_limited") > 0,
          "the fuzzer reached the parser and the limits: " + counts);
      assertTrue(heapGrowth < 64L * 1024 * 1024, "heap grew by " + heapGrowth / 1024 + " KiB");
      assertTrue(count("raw:malformed-escape") > 0 && count("raw:slow-headers-closed") > 0,
          "the fuzzer sent raw requests too: " + counts);
      honest.close();
    } finally {
      slowHeaders.forEach(RawConnection::close);
    }
  }

  /**
   * Beside the WebSockets: a connection that sends half its headers and then nothing (it must be closed by the header
   * deadline), or a request whose URL has a malformed escape and a token (it must get the JSON 400).
   */
  private void rawAttack(TestNode node, Random random, List<RawConnection> slowHeaders) {
    if (random.nextBoolean()) {
      RawConnection slow = RawConnection.open(node, "127.0.0.41");
      slow.write("GET /sessions/fuzz-0/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
          + "x".repeat(random.nextInt(100)));
      slowHeaders.add(slow);
      increment("raw:slow-headers");
      return;
    }
    String[] paths = {"/sessions/fuzz-1/events?after=%", "/sessions/fuzz-1/presence?cursor=%zz", "/poll?sessionId=%G1",
        "/events?sessionId=fuzz-1&x=%%", "/%zz", "/client/%C3%"};
    String path = paths[random.nextInt(paths.length)] + "&access_token=" + TestTokens.user("mallory", List.of("*"),
        List.of("*"));
    try (RawConnection bad = RawConnection.open(node, "127.0.0.42")) {
      RawConnection.Answer answer = bad.get(path).answer();
      increment("raw:malformed-escape");
      if (answer.status() != 400 || !"bad_request".equals(answer.errorCode())) {
        violations.add("malformed escape answered " + answer.status() + " " + answer.body());
      }
    }
  }

  private WebSocket openHostile(TestNode node, int index, Random random) throws Exception {
    boolean badToken = random.nextInt(20) == 0;
    String token = badToken ? "x" + random.nextInt() : TestTokens.user("mallory-" + index, List.of("fuzz-*"),
        List.of("fuzz-*"));
    ClientWebSocket ws = node.webSockets.webSocket();
    ws.textMessageHandler(this::checkFrame);
    ws.closeHandler(v -> checkClose(ws.closeStatusCode(), lastKind.remove(ws)));
    try {
      ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
          .setURI("/events?sessionId=fuzz-" + index + "&access_token=" + token)).await(10, TimeUnit.SECONDS);
    } catch (IllegalStateException closedDuringHandshake) {
      // The node closed it (a bad token's 4001) before Vert.x's client had finished its side of the upgrade.
      increment("closed-during-upgrade");
    }
    increment(badToken ? "opened:bad-token" : "opened");
    return ws;
  }

  private void sendHostileFrame(WebSocket ws, Random random) {
    increment("sent");
    if (ws.isClosed()) {
      increment("skipped-closed");
      return;
    }
    int kind = random.nextInt(100);
    lastKind.put(ws, kind < 20 ? "garbage" : kind < 40 ? "truncated" : kind < 84 ? "random" : kind < 85 ? "byte-flood"
        : kind < 92 ? "deep"
        : kind < 95 ? "binary" : kind < 96 ? "oversized" : kind < 97 ? "invalid-utf8" : kind < 98 ? "flood"
        : "subscribe-flood");
    try {
      if (kind < 20) {
        ws.writeTextMessage(randomText(random, random.nextInt(200)));
      } else if (kind < 40) {
        String valid = randomFrame(random).encode();
        ws.writeTextMessage(valid.substring(0, random.nextInt(valid.length())));
      } else if (kind < 84) {
        ws.writeTextMessage(randomFrame(random).encode());
      } else if (kind < 85) {
        // Big frames within the frame-count budget: the byte budget must refuse them before they are parsed.
        String big = new JsonObject().put("type", "ping").put("pad", "p".repeat(60_000)).encode();
        for (int i = 0; i < 12; i++) {
          ws.writeTextMessage(big);
        }
      } else if (kind < 92) {
        int depth = 65 + random.nextInt(2000);
        ws.writeTextMessage("{\"type\":\"publish\",\"eventType\":\"deep\",\"payload\":" + "[".repeat(depth) + "1"
            + "]".repeat(depth) + "}");
      } else if (kind < 95) {
        ws.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
      } else if (kind < 96) {
        ws.writeTextMessage("{\"type\":\"publish\",\"payload\":\"" + "x".repeat(70_000) + "\"}");
      } else if (kind < 97) {
        ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT,
            Unpooled.wrappedBuffer(new byte[] {'{', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '}'}), true));
      } else if (kind < 98) {
        for (int i = 0; i < 600; i++) {
          ws.writeTextMessage(new JsonObject().put("type", "publish").put("eventType", "flood").put("payload", i)
              .encode());
        }
      } else {
        for (int i = 0; i < 150; i++) {
          ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("sessionId", "fuzz-s" + i).encode());
        }
      }
    } catch (IllegalStateException closedMeanwhile) {
      increment("write-after-close");
    }
  }

  private static JsonObject randomFrame(Random random) {
    JsonObject frame = new JsonObject().put("type", TYPES[random.nextInt(TYPES.length)]);
    if (random.nextBoolean()) {
      frame.put("requestId", random.nextBoolean() ? "r" + random.nextInt(1000) : random.nextInt());
    }
    if (random.nextInt(4) > 0) {
      frame.put("sessionId", randomValue(random, new String[] {"fuzz-" + random.nextInt(5), "honest", "a b",
          "x".repeat(200), "fuzz:ok.1"}));
    }
    if (random.nextBoolean()) {
      frame.put("eventType", randomValue(random, new String[] {"vote", "", "t".repeat(300)}));
    }
    if (random.nextBoolean()) {
      frame.put("payload", randomValue(random, new String[] {"p"}));
    }
    if (random.nextInt(4) == 0) {
      frame.put("fromEventId", randomValue(random, new String[] {"0", "-1", "abc", "99999999999999999999"}));
    }
    if (random.nextInt(6) == 0) {
      frame.put("idempotencyKey", randomValue(random, new String[] {"k" + random.nextInt(10), ""}));
    }
    if (random.nextInt(6) == 0) {
      frame.put("token", randomValue(random, new String[] {"not.a.jwt", ""}));
    }
    return frame;
  }

  private static Object randomValue(Random random, String[] strings) {
    return switch (random.nextInt(6)) {
      case 0 -> random.nextInt();
      case 1 -> null;
      case 2 -> new JsonArray().add(random.nextInt(3));
      case 3 -> new JsonObject().put("k", random.nextDouble());
      default -> strings[random.nextInt(strings.length)];
    };
  }

  private static String randomText(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    String alphabet = "{}[]\":,\\ abcdefghijklmnopqrstuvwxyz0123456789-.truefalsnul\u00e9\u4e2d";
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private void checkFrame(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      violations.add("not JSON: " + text.substring(0, Math.min(80, text.length())));
      return;
    }
    String type = frame.getString("type");
    if (!FRAME_TYPES.contains(type)) {
      violations.add("frame type " + type);
    } else if ("error".equals(type)) {
      String code = frame.getString("code");
      increment("error:" + code);
      if (!ERROR_CODES.contains(code) || "internal".equals(code)) {
        violations.add("error code " + code + ": " + frame.getString("message"));
      }
    } else {
      increment("frame:" + type);
    }
  }

  private void checkClose(Short code, String afterKind) {
    if (finishing) {
      return;
    }
    increment("close:" + code);
    if (code == null || !CLOSE_CODES.contains(code)) {
      violations.add("close code " + code + " after a " + afterKind + " frame");
    }
  }

  private void increment(String key) {
    counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  private long count(String key) {
    AtomicLong value = counts.get(key);
    return value == null ? 0 : value.get();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
