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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N subscribers in one session, one publisher at R events/s: delivery latency from publish to receipt, loss,
 * deliveries per second, and CPU per delivery of the generator and (with --server-pid) of the server.
 */
final class FanoutBench {

  private final BenchOptions options;
  private final int subscribers;
  private final int rate;
  private final String filler;
  private final Recorder latencies = new Recorder(3);
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();

  FanoutBench(BenchOptions options) {
    this.options = options;
    this.subscribers = options.integer("subscribers", 500);
    this.rate = options.integer("rate", 150);
    this.filler = "x".repeat(options.integer("payload", 200));
  }

  void run() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    String token = options.token(vertx);
    String session = "bench-fanout-" + UUID.randomUUID().toString().substring(0, 8);
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(subscribers + 10).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    List<long[]> lastSeq = new ArrayList<>();
    List<Future<WebSocket>> connecting = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      long[] last = {0};
      lastSeq.add(last);
      connecting.add(connect(client, "/events?sessionId=" + session + "&access_token=" + token)
          .onSuccess(ws -> ws.textMessageHandler(text -> onFrame(text, last))));
      if (connecting.size() % 200 == 0) {
        Future.all(connecting).await(60, TimeUnit.SECONDS);
      }
    }
    Future.all(connecting).await(60, TimeUnit.SECONDS);
    System.err.printf("fanout: %d subscribers connected to %s%n", subscribers, session);
    WebSocket publisher = connect(client, "/events?access_token=" + token).await(10, TimeUnit.SECONDS);
    AtomicLong published = new AtomicLong();

    CpuClock cpu = new CpuClock(options.serverPid);
    long start = System.nanoTime();
    long[] sentSoFar = {0};
    long timer = vertx.setPeriodic(1, t -> {
      long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
      for (; sentSoFar[0] < due; sentSoFar[0]++) {
        publisher.writeTextMessage("{\"type\":\"publish\",\"sessionId\":\"" + session
            + "\",\"eventType\":\"tick\",\"payload\":{\"t\":" + System.nanoTime() + ",\"fill\":\"" + filler + "\"}}");
        published.incrementAndGet();
      }
    });

    Thread.sleep(options.warmup * 1000L);
    latencies.getIntervalHistogram();
    long deliveriesBefore = deliveries.get();
    long generatorBefore = cpu.generatorNanos();
    long serverBefore = cpu.serverNanos();
    long measureStart = System.nanoTime();
    Histogram total = new Histogram(3);
    for (int s = 1; s <= options.seconds; s++) {
      Thread.sleep(1000);
      Histogram second = latencies.getIntervalHistogram();
      total.add(second);
      System.err.printf("  %2d s: %,d deliveries/s, p50 %.2f ms, p99 %.2f ms%n", s, second.getTotalCount(),
          second.getValueAtPercentile(50) / 1000.0, second.getValueAtPercentile(99) / 1000.0);
    }
    double elapsed = (System.nanoTime() - measureStart) / 1e9;
    long measured = deliveries.get() - deliveriesBefore;
    long generatorCpu = cpu.generatorNanos() - generatorBefore;
    long serverAfter = cpu.serverNanos();
    vertx.cancelTimer(timer);
    Thread.sleep(2000);
    long expected = published.get() * subscribers;
    long lost = expected - deliveries.get();

    JsonObject result = new JsonObject().put("scenario", "fanout").put("subscribers", subscribers)
        .put("rate", rate).put("seconds", options.seconds).put("deliveriesPerSec", Math.round(measured / elapsed))
        .put("p50Ms", ms(total, 50)).put("p95Ms", ms(total, 95)).put("p99Ms", ms(total, 99))
        .put("maxMs", total.getMaxValue() / 1000.0).put("lost", lost).put("gaps", gaps.get())
        .put("generatorCpuPct", Math.round(100.0 * generatorCpu / (elapsed * 1e9)))
        .put("generatorCpuUsPerDelivery", round(generatorCpu / 1000.0 / Math.max(1, measured)));
    if (serverBefore >= 0 && serverAfter >= 0) {
      result.put("serverCpuPct", Math.round(100.0 * (serverAfter - serverBefore) / (elapsed * 1e9)))
          .put("serverCpuUsPerDelivery", round((serverAfter - serverBefore) / 1000.0 / Math.max(1, measured)));
    }
    System.out.println(result.encode());
    client.close();
    vertx.close();
  }

  private Future<WebSocket> connect(WebSocketClient client, String uri) {
    return client.connect(new WebSocketConnectOptions().setHost(options.host).setPort(options.port).setURI(uri));
  }

  private void onFrame(String text, long[] last) {
    if (!text.startsWith("{\"type\":\"event\"")) {
      return;
    }
    long now = System.nanoTime();
    long sent = number(text, text.indexOf("\"t\":") + 4);
    long seq = number(text, text.indexOf("\"eventId\":\"") + 11);
    if (last[0] != 0 && seq != last[0] + 1) {
      gaps.incrementAndGet();
    }
    last[0] = seq;
    deliveries.incrementAndGet();
    latencies.recordValue(Math.max(0, (now - sent) / 1000));
  }

  private static long number(String text, int from) {
    long value = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static double ms(Histogram histogram, double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
