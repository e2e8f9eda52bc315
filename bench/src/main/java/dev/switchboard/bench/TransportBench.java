package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What TLS and compression cost the server (issue #23), against one node started for the run: per connection (CPU of
 * the connect, handshake included, and resident memory once every socket has received events, when a deflater
 * exists) and per delivery (CPU and bytes the server wrote). With {@code --history N} it also times N history pages
 * of 100 events (a second line). One JSON line per measurement on stdout; bench/transport.sh runs the node in each configuration and puts the lines
 * side by side.
 *
 * <p>Options: --tls (speak https/wss, trusting any certificate), --deflate (offer permessage-deflate), --connections,
 * --events, --rate (events/s), --payload (bytes of text per event), --history (pages), --label.
 */
final class TransportBench {

  private final BenchOptions options;

  TransportBench(BenchOptions options) {
    this.options = options;
  }

  void run() throws Exception {
    boolean tls = Boolean.parseBoolean(options.string("tls", "false"));
    boolean deflate = Boolean.parseBoolean(options.string("deflate", "false"));
    int connections = options.integer("connections", 1000);
    int events = options.integer("events", 200);
    int rate = options.integer("rate", 20);
    int payloadBytes = options.integer("payload", 1024);
    int historyPages = options.integer("history", 0);
    String session = "transport-" + System.nanoTime();
    Vertx vertx = Vertx.vertx();
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setSsl(tls).setTrustAll(tls)
        .setVerifyHost(false).setDefaultHost(options.host).setDefaultPort(options.port).setKeepAlive(true)
        .setDecompressionSupported(true));
    String token = token(http);
    WebSocketClient webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(tls).setTrustAll(tls)
        .setVerifyHost(false).setTryUsePerMessageCompression(deflate).setMaxConnections(connections + 10)
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    AtomicLong received = new AtomicLong();
    long pid = options.serverPid;

    ProcStats before = ProcStats.of(pid);
    long connectStart = System.nanoTime();
    List<WebSocket> sockets = new ArrayList<>();
    int inFlight = 50;
    for (int from = 0; from < connections; from += inFlight) {
      List<Future<WebSocket>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(connections, from + inFlight); i++) {
        batch.add(open(webSockets, session, token, i, received));
      }
      Future.all(batch).await(60, TimeUnit.SECONDS);
      batch.forEach(f -> sockets.add(f.result()));
    }
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    ProcStats connected = ProcStats.of(pid);

    long writtenBefore = writtenBytes(pid);
    ProcStats publishing = ProcStats.of(pid);
    long interval = Math.max(1, 1000 / rate);
    for (int n = 0; n < events; n++) {
      Buffer body = new JsonObject().put("eventType", "chat").put("payload", new JsonObject().put("n", n)
          .put("author", "user-" + (n % 7)).put("text", message(n, payloadBytes))).toBuffer();
      http.request(HttpMethod.POST, "/sessions/" + session + "/events")
          .compose(request -> request.putHeader("Authorization", "Bearer " + token)
              .putHeader("Content-Type", "application/json").send(body))
          .compose(HttpClientResponse::body).await(60, TimeUnit.SECONDS);
      Thread.sleep(interval);
    }
    long expected = (long) events * connections;
    long deadline = System.currentTimeMillis() + 60_000;
    while (received.get() < expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    ProcStats delivered = ProcStats.of(pid);
    long writtenAfter = writtenBytes(pid);

    JsonObject result = new JsonObject().put("scenario", "transport").put("label", options.string("label", ""))
        .put("tls", tls).put("deflate", deflate).put("connections", connections).put("events", events)
        .put("rate", rate).put("payloadBytes", payloadBytes)
        .put("received", received.get()).put("expected", expected)
        .put("connectSeconds", round(connectSeconds))
        .put("cpuUsPerConnect", round((connected.cpuNanos() - before.cpuNanos()) / 1e3 / connections))
        .put("rssBytesPerConnection", (delivered.rssBytes() - before.rssBytes()) / connections)
        .put("cpuUsPerDelivery", round((delivered.cpuNanos() - publishing.cpuNanos()) / 1e3 / expected))
        .put("bytesWrittenPerDelivery", writtenBefore < 0 ? -1 : (writtenAfter - writtenBefore) / expected);
    Future.join(sockets.stream().map(WebSocket::close).toList()).await(60, TimeUnit.SECONDS);
    System.out.println(result.encode());
    if (historyPages > 0) {
      JsonObject pages = new JsonObject().put("scenario", "transport-history")
          .put("label", options.string("label", ""));
      try {
        pages.mergeIn(history(http, token, session, historyPages, pid));
      } catch (Exception e) {
        pages.put("error", e.toString());
      }
      System.out.println(pages.encode());
    }
    vertx.close();
  }

  /** CPU and bytes the server spends per history page of 100 events, the client accepting gzip. */
  private static JsonObject history(HttpClient http, String token, String session, int pages, long pid)
      throws Exception {
    ProcStats start = ProcStats.of(pid);
    long written = writtenBytes(pid);
    long bodyBytes = 0;
    for (int i = 0; i < pages; i++) {
      Buffer body = http.request(HttpMethod.GET, "/sessions/" + session + "/events?after=0&limit=100")
          .compose(request -> request.putHeader("Authorization", "Bearer " + token)
              .putHeader("Accept-Encoding", "gzip").send())
          .compose(HttpClientResponse::body).await(60, TimeUnit.SECONDS);
      bodyBytes += body.length();
    }
    ProcStats end = ProcStats.of(pid);
    return new JsonObject().put("historyPages", pages)
        .put("cpuUsPerHistoryPage", round((end.cpuNanos() - start.cpuNanos()) / 1e3 / pages))
        .put("bytesWrittenPerHistoryPage", written < 0 ? -1 : (writtenBytes(pid) - written) / pages)
        .put("decodedBytesPerHistoryPage", bodyBytes / pages);
  }

  private Future<WebSocket> open(WebSocketClient client, String session, String token, int index,
                                 AtomicLong received) {
    Promise<WebSocket> ready = Promise.promise();
    // Loopback source addresses in turn, so a large run does not run out of one address's ports.
    WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost(options.host).setPort(options.port)
        .setURI("/events?sessionId=" + session + "&access_token=" + token);
    client.connect(connect).onFailure(ready::fail).onSuccess(ws -> {
      ws.textMessageHandler(text -> {
        if (text.startsWith("{\"type\":\"event\"")) {
          received.incrementAndGet();
        } else if (text.contains("\"type\":\"replayed\"")) {
          ready.tryComplete(ws);
        }
      });
    });
    return ready.future();
  }

  private String token(HttpClient http) throws Exception {
    Buffer body = new JsonObject().put("sub", "bench").put("sessions", new io.vertx.core.json.JsonArray().add("*"))
        .put("publish", new io.vertx.core.json.JsonArray().add("*")).toBuffer();
    return http.request(HttpMethod.POST, "/dev/token")
        .compose(request -> request.putHeader("Content-Type", "application/json").send(body))
        .compose(HttpClientResponse::body).await(10, TimeUnit.SECONDS).toJsonObject().getString("token");
  }

  /** Bytes the process has passed to write system calls (sockets included), or -1 when /proc does not say. */
  private static long writtenBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
        if (line.startsWith("wchar:")) {
          return Long.parseLong(line.substring(6).trim());
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  private static final String[] WORDS = ("the a to of and in is it you that for on with this be are we not have but "
      + "can at your was will my so if about just do get what from all one like there up when out meeting review "
      + "deploy build release ticket customer design draft board sprint merge branch please thanks today tomorrow "
      + "morning afternoon yes no maybe later soon check update fix issue bug test page chart report number week "
      + "monday friday lunch coffee call note plan idea budget team project client server message room doc sheet")
      .split(" ");

  /** A chat message of about {@code bytes} characters: words drawn at random (seeded by {@code n}), as people write. */
  static String message(int n, int bytes) {
    java.util.Random random = new java.util.Random(n);
    StringBuilder text = new StringBuilder(bytes + 16);
    while (text.length() < bytes) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(12) == 0 ? ". " : " ");
    }
    return text.substring(0, bytes);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
