package dev.switchboard.bench.cluster;

import dev.switchboard.bench.OptionPairs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publish-to-delivery latency across a cluster: subscribers on one node, a WebSocket publisher on another (or the
 * same, for comparison), the publisher stamping {@code System.nanoTime()} in the payload (one process, one clock).
 *
 * <pre>java -cp bench/target/switchboard-bench.jar dev.switchboard.bench.cluster.CrossNodeLatency
 *     --publish-port 8081 --subscribe-port 8082 --subscribers 200 --rate 100 --seconds 20 --warmup 5</pre>
 *
 * One JSON line on stdout: median, p99, max, deliveries, lost. Loopback only; stops by itself.
 */
public final class CrossNodeLatency {

  private CrossNodeLatency() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = OptionPairs.parse(args);
    int publishPort = Integer.parseInt(o.getOrDefault("publish-port", "8081"));
    int subscribePort = Integer.parseInt(o.getOrDefault("subscribe-port", "8082"));
    int subscribers = Integer.parseInt(o.getOrDefault("subscribers", "200"));
    int rate = Integer.parseInt(o.getOrDefault("rate", "100"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));

    Vertx vertx = Vertx.vertx();
    String token = WebClient.create(vertx).post(publishPort, "127.0.0.1", "/dev/token")
        .sendJsonObject(new JsonObject().put("sub", "latency").put("sessions", new JsonArray().add("*"))
            .put("publish", new JsonArray().add("*")))
        .await(10, TimeUnit.SECONDS).bodyAsJsonObject().getString("token");
    String session = "latency-" + UUID.randomUUID().toString().substring(0, 8);
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(
        subscribers + 10));
    Recorder latencies = new Recorder(3);
    AtomicLong deliveries = new AtomicLong();
    List<Future<WebSocket>> connecting = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      connecting.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(subscribePort)
              .setURI("/events?sessionId=" + session + "&access_token=" + token))
          .onSuccess(ws -> ws.textMessageHandler(text -> {
            if (text.startsWith("{\"type\":\"event\"")) {
              int at = text.indexOf("\"t\":") + 4;
              long sent = Long.parseLong(text.substring(at, text.indexOf('}', at)).trim());
              latencies.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
              deliveries.incrementAndGet();
            }
          })));
    }
    Future.all(connecting).await(60, TimeUnit.SECONDS);
    Thread.sleep(1000);
    WebSocket publisher = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(publishPort)
        .setURI("/events?access_token=" + token)).await(10, TimeUnit.SECONDS);
    AtomicLong published = new AtomicLong();
    long start = System.nanoTime();
    long[] sent = {0};
    long timer = vertx.setPeriodic(1, t -> {
      long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
      for (; sent[0] < due; sent[0]++) {
        publisher.writeTextMessage("{\"type\":\"publish\",\"sessionId\":\"" + session
            + "\",\"eventType\":\"tick\",\"payload\":{\"t\":" + System.nanoTime() + "}}");
        published.incrementAndGet();
      }
    });
    Thread.sleep(warmup * 1000L);
    latencies.getIntervalHistogram();
    Histogram total = new Histogram(3);
    for (int s = 0; s < seconds; s++) {
      Thread.sleep(1000);
      Histogram second = latencies.getIntervalHistogram();
      total.add(second);
      System.err.printf("  %2d s: p50 %.2f ms, p99 %.2f ms%n", s + 1, second.getValueAtPercentile(50) / 1000.0,
          second.getValueAtPercentile(99) / 1000.0);
    }
    vertx.cancelTimer(timer);
    Thread.sleep(2000);
    System.out.println(new JsonObject().put("publishPort", publishPort).put("subscribePort", subscribePort)
        .put("crossNode", publishPort != subscribePort).put("subscribers", subscribers).put("rate", rate)
        .put("p50Ms", total.getValueAtPercentile(50) / 1000.0).put("p99Ms", total.getValueAtPercentile(99) / 1000.0)
        .put("maxMs", total.getMaxValue() / 1000.0).put("deliveries", total.getTotalCount())
        .put("lost", published.get() * subscribers - deliveries.get()).encode());
    vertx.close();
    System.exit(0);
  }
}
