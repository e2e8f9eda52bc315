package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A crowd on a cluster (issue #20): N WebSocket subscribers of one session spread over every edge of a local cluster
 * (connection i to edge i mod E: no sticky routing), held by worker processes of at most --per-process connections
 * each on their own loopback source addresses (one process may hold 20,000 open files here), while one publisher
 * sends --rate events/s for --seconds, then waits (at most --drain-sec, 120) until every subscriber has every event.
 * Reports the cluster's RSS per connection (the growth from before the connects, summed over --node-pids), the time for one event to reach every subscriber (per event, the latest arrival over all
 * of them; p50 / p99 over the events), the per-delivery latency, the nodes' CPU per delivery, and whether every
 * subscriber got every event once and in order.
 *
 * <pre>java -jar bench/target/switchboard-bench.jar crowd --ports 8081,8082,8083 --node-pids 1,2,3
 *     --connections 100000 --per-process 17000 --rate 1 --seconds 60</pre>
 */
final class CrowdBench {

  private final BenchOptions options;

  CrowdBench(BenchOptions options) {
    this.options = options;
  }

  void run() throws Exception {
    List<String> ports = options.integers("ports", Integer.toString(options.port)).stream().map(String::valueOf)
        .toList();
    List<Long> nodePids = options.integers("node-pids", "").stream().map(Integer::longValue).toList();
    int connections = options.integer("connections", 100_000);
    int perProcess = options.integer("per-process", 17_000);
    int rate = options.integer("rate", 1);
    String session = options.string("session", "crowd-" + Long.toHexString(System.nanoTime() & 0xffffffL));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    String token = options.token(vertx);

    long rssBefore = rss(nodePids);
    int processes = (connections + perProcess - 1) / perProcess;
    List<WorkerProcess> workers = new ArrayList<>();
    for (int w = 0; w < processes; w++) {
      int share = connections / processes + (w < connections % processes ? 1 : 0);
      // worker w takes 127.0.0.(10 + 40 w) onwards: one source address per 5,000 connections, per edge
      workers.add(worker(share, 10 + 40 * w, token, ports, session));
    }
    System.err.printf("crowd: %,d subscribers of %s over %d edges from %d processes%n", connections, session,
        ports.size(), processes);
    long connectStart = System.nanoTime();
    workers.forEach(w -> w.send("connect"));
    long connected = 0;
    for (WorkerProcess w : workers) {
      connected += w.answer().getLong("connected");
    }
    double connectSec = (System.nanoTime() - connectStart) / 1e9;
    System.err.printf("crowd: %,d connected in %.1f s%n", connected, connectSec);
    Thread.sleep(5_000); // presence and the connects' own work settle before the memory is read
    long rssAfter = rss(nodePids);

    List<ProcStats> cpuBefore = nodePids.stream().map(ProcStats::of).toList();
    int events = publish(vertx, ports.get(0), session, rate, options.seconds);
    // Until every subscriber has every event, or --drain-sec passed: what is still missing then counts as lost.
    long expected = connected * events;
    long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.integer("drain-sec", 120));
    long delivered = 0;
    while (System.nanoTime() < drainEnd) {
      delivered = 0;
      for (WorkerProcess w : workers) {
        delivered += w.command("status").getLong("deliveries");
      }
      System.err.printf("crowd: %,d of %,d deliveries%n", delivered, expected);
      if (delivered >= expected) {
        break;
      }
      Thread.sleep(2_000);
    }
    long cpuNanos = 0;
    for (int i = 0; i < nodePids.size(); i++) {
      cpuNanos += ProcStats.of(nodePids.get(i)).minus(cpuBefore.get(i)).cpuNanos();
    }

    Histogram delivery = new Histogram(3);
    Map<Long, Long> reachedAllUs = new HashMap<>();
    long deliveries = 0;
    long gaps = 0;
    long duplicates = 0;
    long complete = 0;
    for (WorkerProcess w : workers) {
      JsonObject report = w.command("report");
      delivery.add(Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(report.getString("latencyUs"))), 0));
      report.getJsonObject("latestUsBySeq").forEach(e ->
          reachedAllUs.merge(Long.parseLong(e.getKey()), ((Number) e.getValue()).longValue(), Math::max));
      deliveries += report.getLong("deliveries");
      gaps += report.getLong("gaps");
      duplicates += report.getLong("duplicates");
      complete += report.getLong("complete");
    }
    workers.forEach(w -> w.exit(20));
    vertx.close();

    Histogram reachedAll = new Histogram(3);
    reachedAllUs.values().forEach(us -> reachedAll.recordValue(Math.max(1, us)));
    FanoutBench.emit(new JsonObject().put("scenario", "crowd").put("target", "switchboard")
        .put("connections", connections).put("connected", connected).put("edges", ports.size())
        .put("processes", processes).put("connectSec", Stats.round(connectSec)).put("rate", rate)
        .put("events", events).put("eventsSeen", reachedAllUs.size())
        .put("rssKbPerConnection", connected == 0 ? null : Stats.round((rssAfter - rssBefore) / 1024.0 / connected))
        .put("clusterRssMb", Stats.round(rssAfter / 1048576.0))
        .put("reachedAllP50Ms", ms(reachedAll, 50)).put("reachedAllP99Ms", ms(reachedAll, 99))
        .put("reachedAllMaxMs", Stats.round(reachedAll.getMaxValue() / 1000.0))
        .put("deliveryP50Ms", ms(delivery, 50)).put("deliveryP99Ms", ms(delivery, 99))
        .put("deliveries", deliveries).put("expectedDeliveries", connected * events)
        .put("serverCpuUsPerDelivery", deliveries == 0 ? null : Stats.round(cpuNanos / 1000.0 / deliveries))
        .put("gaps", gaps).put("duplicates", duplicates).put("subscribersWithEveryEvent", complete)
        .put("exactlyOnce", gaps == 0 && duplicates == 0 && complete == connected));
  }

  private static double ms(Histogram histogram, double percentile) {
    return Stats.round(histogram.getValueAtPercentile(percentile) / 1000.0);
  }

  private static long rss(List<Long> pids) {
    return pids.stream().mapToLong(pid -> ProcStats.of(pid).rssBytes()).sum();
  }

  /** Publishes {@code rate} events/s for {@code seconds}, each acknowledged before the run ends; returns how many. */
  private int publish(Vertx vertx, String port, String session, int rate, int seconds) throws Exception {
    BenchOptions publisherOptions = withPort(options, port);
    Target target = Target.of("switchboard", options.token(vertx));
    Connector connector = new Connector(vertx, publisherOptions, target, 2);
    int total = rate * seconds;
    Promise<Void> acked = Promise.promise();
    int[] acks = {0};
    WireSocket publisher = connector.open(null, -1, new Target.Listener() {
      @Override
      public void onAck(long requestId, long eventId) {
        if (++acks[0] == total) {
          acked.tryComplete();
        }
      }
    }).await(30, TimeUnit.SECONDS);
    System.err.printf("crowd: publishing %d events/s for %d s%n", rate, seconds);
    long start = System.nanoTime();
    for (int n = 1; n <= total; n++) {
      long due = start + (n - 1) * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      String frame = "{\"type\":\"publish\",\"requestId\":\"" + n + "\",\"idempotencyKey\":\"" + session + "-" + n
          + "\",\"sessionId\":\"" + session + "\",\"eventType\":\"tick\",\"payload\":{\"t\":" + System.nanoTime()
          + ",\"s\":" + n + "}}";
      vertx.runOnContext(v -> publisher.sendText(frame));
    }
    acked.future().await(30, TimeUnit.SECONDS);
    vertx.runOnContext(v -> publisher.close());
    return total;
  }

  private static BenchOptions withPort(BenchOptions options, String port) {
    Map<String, String> raw = new HashMap<>(options.raw);
    raw.put("port", port);
    return new BenchOptions(raw);
  }

  /**
   * A worker process: {@code --connections} subscribers of {@code --session}, connection i on edge i mod E, each
   * checking its eventIds; steered over stdin ({@code connect}, {@code status}, {@code report}, {@code exit}).
   */
  static void worker(BenchOptions options) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Target target = Target.of("switchboard", options.token(vertx));
    List<String> ports = options.integers("ports", Integer.toString(options.port)).stream().map(String::valueOf)
        .toList();
    int connections = options.integer("connections", 1000);
    int source = options.integer("source", 10);
    String session = options.string("session", "crowd");
    Tally tally = new Tally(connections + ports.size());
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in));
    for (String line = commands.readLine(); line != null && !line.equals("exit"); line = commands.readLine()) {
      switch (line) {
        case "connect" -> {
          List<Future<List<WireSocket>>> opening = new ArrayList<>();
          int window = options.integer("window", 16);
          for (int e = 0; e < ports.size(); e++) {
            int share = connections / ports.size() + (e < connections % ports.size() ? 1 : 0);
            int edge = e;
            Connector connector = new Connector(vertx, withPort(options, ports.get(e)), target, source + 8 * e);
            opening.add(connector.openMany(share, window, i -> session,
                i -> tally.subscriber(edge + i * ports.size()), 5));
          }
          long connected = 0;
          for (Future<List<WireSocket>> f : opening) {
            try {
              connected += f.await(900, TimeUnit.SECONDS).size();
            } catch (Exception e) {
              System.err.println("crowd worker: " + e.getMessage());
            }
          }
          System.out.println(new JsonObject().put("connected", connected).encode());
        }
        case "status" -> {
          Promise<JsonObject> status = Promise.promise();
          vertx.runOnContext(v -> status.complete(new JsonObject().put("deliveries", tally.deliveries)));
          System.out.println(status.future().await(30, TimeUnit.SECONDS).encode());
        }
        case "report" -> {
          Promise<JsonObject> report = Promise.promise();
          vertx.runOnContext(v -> report.complete(tally.report()));
          System.out.println(report.future().await(30, TimeUnit.SECONDS).encode());
        }
        default -> System.out.println(new JsonObject().put("error", "unknown command " + line).encode());
      }
      System.out.flush();
    }
    vertx.close();
  }

  /** What one worker's subscribers saw; used on the worker's one event loop. */
  private static final class Tally {
    final long[] last;
    final Histogram latencyUs = new Histogram(3);
    final Map<Long, Long> latestUsBySeq = new HashMap<>();
    long deliveries;
    long gaps;
    long duplicates;

    /** @param slots one more than the highest subscriber index */
    Tally(int slots) {
      last = new long[slots];
    }

    Target.Listener subscriber(int index) {
      return new Target.Listener() {
        @Override
        public void onEvent(long sentNanos, long sequence, int bytes) {
          deliveries++;
          long previous = last[index];
          if (sequence <= previous) {
            duplicates++;
            return;
          }
          if (previous != 0 && sequence != previous + 1) {
            gaps++;
          }
          last[index] = sequence;
          long us = Math.max(1, (System.nanoTime() - sentNanos) / 1000);
          latencyUs.recordValue(us);
          latestUsBySeq.merge(sequence, us, Math::max);
        }
      };
    }

    JsonObject report() {
      ByteBuffer buffer = ByteBuffer.allocate(latencyUs.getNeededByteBufferCapacity());
      int length = latencyUs.encodeIntoCompressedByteBuffer(buffer);
      long newest = latestUsBySeq.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
      long complete = 0;
      for (long seen : last) {
        complete += seen != 0 && seen == newest ? 1 : 0;
      }
      JsonObject bySeq = new JsonObject();
      latestUsBySeq.forEach((seq, us) -> bySeq.put(Long.toString(seq), us));
      return new JsonObject().put("deliveries", deliveries).put("gaps", gaps).put("duplicates", duplicates)
          .put("complete", complete).put("latestUsBySeq", bySeq)
          .put("latencyUs", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
    }
  }

  /** A worker process holding a share of the connections. */
  private static WorkerProcess worker(int connections, int source, String token, List<String> ports, String session)
      throws IOException {
    return new WorkerProcess("crowd-worker", List.of("--connections", Integer.toString(connections),
        "--source", Integer.toString(source), "--ports", String.join(",", ports), "--session", session,
        "--token", token));
  }
}
