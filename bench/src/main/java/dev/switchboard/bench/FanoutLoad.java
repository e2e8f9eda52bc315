package dev.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * N subscribers spread evenly over S sessions (rooms), P publisher connections sharing R events/s between the
 * sessions round-robin: the load behind the fanout, maxrate and rooms scenarios, for either target.
 *
 * <p>A phase publishes at one rate: an unmeasured warm-up of the same load, then measured rounds, then a drain in
 * which every published event must reach every subscriber of its session. Latency is from the publisher's stamp
 * (taken as it writes the publish) to the subscriber's read, both on this process's clock.
 */
final class FanoutLoad {

  /** How long after the last publish a delivery may still arrive before it counts as lost. */
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(3);

  private final Vertx vertx;
  private final Connector connector;
  private final BenchOptions options;
  private final int sessions;
  private final int subscriberCount;
  private final int publisherCount;
  private final String prefix;
  private final String filler;
  private final Recorder latencies = new Recorder(3);
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicLong frameBytes = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong closed = new AtomicLong();
  private final Map<Integer, AtomicLong> closeCodes = new ConcurrentHashMap<>();
  private final AtomicLongArray published;
  private final long[] sequences;
  private final int[] subscribersOf;
  private List<WireSocket> publishers;
  private List<WireSocket> subscribers;
  private volatile int rate;
  private long periodic = -1;

  FanoutLoad(Vertx vertx, Connector connector, BenchOptions options, int subscribers, int sessions, int publishers,
             String label) {
    this.vertx = vertx;
    this.connector = connector;
    this.options = options;
    this.subscriberCount = subscribers;
    this.sessions = sessions;
    this.publisherCount = Math.min(publishers, sessions);
    this.prefix = "bench-" + label + "-" + Long.toHexString(System.nanoTime() & 0xffffffL) + "-";
    this.filler = "x".repeat(options.integer("payload", 200));
    this.published = new AtomicLongArray(sessions);
    this.sequences = new long[sessions];
    this.subscribersOf = new int[sessions];
  }

  String target() {
    return connector.target().name();
  }

  /** Opens every subscriber, then the publishers; throws when any is not ready in time. */
  void connect() throws Exception {
    long start = System.nanoTime();
    subscribers = connector.openMany(subscriberCount, options.integer("window", 256), i -> room(i % sessions), i -> {
      subscribersOf[i % sessions]++;
      return new Subscriber();
    }).await(Math.max(60, subscriberCount / 100), TimeUnit.SECONDS);
    for (WireSocket ws : subscribers) {
      ws.closeHandler(() -> {
        closed.incrementAndGet();
        closeCodes.computeIfAbsent(ws.closeCode(), c -> new AtomicLong()).incrementAndGet();
      });
    }
    publishers = connector.openMany(publisherCount, 64, i -> null, i -> new Target.Listener() { })
        .await(60, TimeUnit.SECONDS);
    System.err.printf("%s: %,d subscribers in %,d session(s) and %d publisher(s) ready in %.1f s%n", target(),
        subscriberCount, sessions, publisherCount, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Publishes at {@code eventsPerSec} for a warm-up and {@code rounds} measured rounds, then drains; answers the
   * medians of the rounds' figures, the rounds themselves, and what was lost, skipped or repeated.
   */
  JsonObject phase(int eventsPerSec, int warmupSec, int rounds, int seconds, long serverPid, String label)
      throws InterruptedException {
    long deliveredBefore = deliveries.get();
    long gapsBefore = gaps.get();
    long duplicatesBefore = duplicates.get();
    long closedBefore = closed.get();
    long[] publishedBefore = publishedCounts();
    startPublishing(eventsPerSec);
    sleepWithProgress(warmupSec, label + " warm-up", null);
    JsonArray measured = new JsonArray();
    for (int round = 1; round <= rounds; round++) {
      latencies.getIntervalHistogram();
      long count = deliveries.get();
      ProcStats server = ProcStats.of(serverPid);
      ProcStats self = ProcStats.self();
      long start = System.nanoTime();
      Histogram histogram = new Histogram(3);
      sleepWithProgress(seconds, label + " round " + round + "/" + rounds, histogram);
      histogram.add(latencies.getIntervalHistogram());
      double elapsed = (System.nanoTime() - start) / 1e9;
      measured.add(roundFigures(histogram, deliveries.get() - count, elapsed, ProcStats.of(serverPid).minus(server),
          ProcStats.self().minus(self)));
    }
    stopPublishing();
    long expected = 0;
    long[] publishedAfter = publishedCounts();
    for (int s = 0; s < sessions; s++) {
      expected += (publishedAfter[s] - publishedBefore[s]) * subscribersOf[s];
    }
    long deadline = System.nanoTime() + DRAIN_NANOS;
    while (deliveries.get() - deliveredBefore < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long delivered = deliveries.get() - deliveredBefore;
    JsonObject result = new JsonObject().put("target", target()).put("subscribers", subscriberCount)
        .put("sessions", sessions).put("publishers", publisherCount).put("rate", eventsPerSec)
        .put("warmupSec", warmupSec).put("roundSec", seconds);
    Stats.medians(measured, result);
    Map<String, Long> codes = new TreeMap<>();
    closeCodes.forEach((code, n) -> codes.put(Integer.toString(code), n.get()));
    return result.put("expected", expected).put("lost", Math.max(0, expected - delivered))
        .put("gaps", gaps.get() - gapsBefore).put("duplicates", duplicates.get() - duplicatesBefore)
        .put("closed", closed.get() - closedBefore).put("closeCodes", new JsonObject(Map.copyOf(codes)))
        .put("messageBytes", frameBytes.get() / Math.max(1, deliveries.get()))
        .put("sequence", connector.target().sequenced()).put("rounds", measured);
  }

  private JsonObject roundFigures(Histogram histogram, long delivered, double elapsed, ProcStats server,
                                  ProcStats self) {
    JsonObject figures = new JsonObject().put("deliveriesPerSec", Math.round(delivered / elapsed))
        .put("p50Ms", Stats.ms(histogram, 50)).put("p95Ms", Stats.ms(histogram, 95))
        .put("p99Ms", Stats.ms(histogram, 99)).put("maxMs", Stats.round(histogram.getMaxValue() / 1000.0))
        .put("generatorCpuPct", Math.round(100.0 * self.cpuNanos() / (elapsed * 1e9)))
        .put("generatorCpuUsPerDelivery", Stats.round(self.cpuNanos() / 1000.0 / Math.max(1, delivered)));
    if (server.known()) {
      double perDelivery = 1000.0 * Math.max(1, delivered);
      figures.put("serverCpuPct", Math.round(100.0 * server.cpuNanos() / (elapsed * 1e9)))
          .put("serverCpuUsPerDelivery", Stats.round(server.cpuNanos() / perDelivery))
          .put("serverUserUsPerDelivery", Stats.round(server.userNanos() / perDelivery))
          .put("serverSystemUsPerDelivery", Stats.round(server.systemNanos() / perDelivery));
      if (server.syscalls() >= 0) {
        figures.put("serverSyscallsPerDelivery", Math.round(1000.0 * server.syscalls() / Math.max(1, delivered)) / 1000.0);
      }
    }
    return figures;
  }

  private void sleepWithProgress(int seconds, String label, Histogram into) throws InterruptedException {
    long last = deliveries.get();
    for (int s = 1; s <= seconds; s++) {
      Thread.sleep(1000);
      Histogram second = latencies.getIntervalHistogram();
      if (into != null) {
        into.add(second);
      }
      long now = deliveries.get();
      System.err.printf("  [%s %s] %2d s: %,d deliveries/s, p50 %.2f ms, p99 %.2f ms, closed %d%n", target(), label,
          s, now - last, second.getValueAtPercentile(50) / 1000.0, second.getValueAtPercentile(99) / 1000.0,
          closed.get());
      last = now;
    }
  }

  private void startPublishing(int eventsPerSec) {
    rate = eventsPerSec;
    long start = System.nanoTime();
    long[] sent = {0};
    long[] next = {0};
    periodic = vertx.setPeriodic(1, t -> {
      long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
      for (; sent[0] < due; sent[0]++) {
        int session = (int) (next[0]++ % sessions);
        long sequence = ++sequences[session];
        WireSocket publisher = publishers.get(session % publisherCount);
        String room = room(session);
        publisher.sendText(connector.target().publishFrame(room, "{\"t\":" + System.nanoTime() + ",\"s\":" + sequence
            + ",\"fill\":\"" + filler + "\"}"));
        published.incrementAndGet(session);
      }
    });
  }

  private void stopPublishing() {
    if (periodic >= 0) {
      vertx.cancelTimer(periodic);
      periodic = -1;
    }
  }

  private long[] publishedCounts() {
    long[] counts = new long[sessions];
    for (int s = 0; s < sessions; s++) {
      counts[s] = published.get(s);
    }
    return counts;
  }

  private String room(int session) {
    return prefix + session;
  }

  /** Closes every connection of this load. */
  void close() {
    stopPublishing();
    if (subscribers != null) {
      vertx.runOnContext(v -> subscribers.forEach(WireSocket::close));
    }
    if (publishers != null) {
      vertx.runOnContext(v -> publishers.forEach(WireSocket::close));
    }
  }

  /** One subscriber's view: the last sequence it saw, to count gaps and duplicates. */
  private final class Subscriber implements Target.Listener {
    private long last = -1;

    @Override
    public void onEvent(long sentNanos, long sequence, int bytes) {
      long now = System.nanoTime();
      if (last >= 0 && sequence != last + 1) {
        (sequence <= last ? duplicates : gaps).incrementAndGet();
      }
      last = Math.max(last, sequence);
      deliveries.incrementAndGet();
      frameBytes.addAndGet(bytes);
      if (sentNanos > 0) {
        latencies.recordValue(Math.max(0, (now - sentNanos) / 1000));
      }
    }
  }
}
