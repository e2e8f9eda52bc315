package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable appends per second: C publisher connections, each keeping W publishes in flight, spread over K sessions;
 * reports acknowledged events per second and the publish-to-ack latency. {@code --namespace NS} puts the sessions in
 * namespace NS ({@code NS:bench-append-...}), so one node can be measured with and without a namespace's options
 * (a publish hook, say).
 */
final class AppendBench {

  private final BenchOptions options;
  private final int connections;
  private final int inflight;
  private final int sessions;
  private final String filler;
  private final Recorder latencies = new Recorder(3);
  private final AtomicLong acks = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  AppendBench(BenchOptions options) {
    this.options = options;
    this.connections = options.integer("connections", 8);
    this.inflight = options.integer("inflight", 32);
    this.sessions = options.integer("sessions", 8);
    this.filler = "x".repeat(options.integer("payload", 200));
  }

  void run() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    String token = options.token(vertx);
    String namespace = options.string("namespace", "");
    String prefix = (namespace.isEmpty() ? "" : namespace + ":") + "bench-append-"
        + UUID.randomUUID().toString().substring(0, 8) + "-";
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(connections + 10));
    List<Future<WebSocket>> connecting = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      connecting.add(client.connect(new WebSocketConnectOptions().setHost(options.host).setPort(options.port)
          .setURI("/events?access_token=" + token)));
    }
    Future.all(connecting).await(30, TimeUnit.SECONDS);
    boolean[] running = {true};
    for (int c = 0; c < connections; c++) {
      WebSocket ws = connecting.get(c).result();
      Map<String, Long> sentAt = new HashMap<>();
      long[] counter = {0};
      int lane = c;
      Runnable sendOne = () -> {
        String requestId = Long.toString(counter[0]++);
        sentAt.put(requestId, System.nanoTime());
        String session = prefix + ((lane + counter[0]) % sessions);
        ws.writeTextMessage("{\"type\":\"publish\",\"requestId\":\"" + requestId + "\",\"sessionId\":\"" + session
            + "\",\"eventType\":\"append\",\"payload\":{\"fill\":\"" + filler + "\"}}");
      };
      ws.textMessageHandler(text -> {
        JsonObject frame = new JsonObject(text);
        Long sent = sentAt.remove(frame.getString("requestId"));
        if (sent == null) {
          return;
        }
        if ("ack".equals(frame.getString("type"))) {
          acks.incrementAndGet();
          latencies.recordValue((System.nanoTime() - sent) / 1000);
        } else {
          errors.incrementAndGet();
        }
        if (running[0]) {
          sendOne.run();
        }
      });
      vertx.runOnContext(v -> {
        for (int i = 0; i < inflight; i++) {
          sendOne.run();
        }
      });
    }
    Thread.sleep(options.warmup * 1000L);
    latencies.getIntervalHistogram();
    long acksBefore = acks.get();
    ProcStats serverBefore = ProcStats.of(options.serverPid);
    ProcStats generatorBefore = ProcStats.self();
    long start = System.nanoTime();
    Histogram total = new Histogram(3);
    for (int s = 1; s <= options.seconds; s++) {
      Thread.sleep(1000);
      Histogram second = latencies.getIntervalHistogram();
      total.add(second);
      System.err.printf("  %2d s: %,d appends/s, ack p50 %.2f ms, p99 %.2f ms%n", s, second.getTotalCount(),
          second.getValueAtPercentile(50) / 1000.0, second.getValueAtPercentile(99) / 1000.0);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long measured = acks.get() - acksBefore;
    ProcStats server = ProcStats.of(options.serverPid).minus(serverBefore);
    long generatorCpu = ProcStats.self().minus(generatorBefore).cpuNanos();
    running[0] = false;
    JsonObject result = new JsonObject().put("scenario", "append").put("target", "switchboard")
        .put("maxBatch", options.string("label", "default")).put("namespace", namespace)
        .put("connections", connections)
        .put("inflight", inflight).put("sessions", sessions).put("appendsPerSec", Math.round(measured / elapsed))
        .put("ackP50Ms", total.getValueAtPercentile(50) / 1000.0)
        .put("ackP99Ms", total.getValueAtPercentile(99) / 1000.0).put("errors", errors.get())
        .put("generatorCpuPct", Math.round(100.0 * generatorCpu / (elapsed * 1e9)));
    if (server.known()) {
      result.put("serverCpuPct", Math.round(100.0 * server.cpuNanos() / (elapsed * 1e9)));
    }
    System.out.println(result.encode());
    Thread.sleep(500);
    client.close();
    vertx.close();
  }
}
