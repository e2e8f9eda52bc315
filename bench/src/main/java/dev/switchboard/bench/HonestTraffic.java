package dev.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The honest side of the abuse benchmark: N subscribers of one session and one publisher at a steady rate, all from
 * 127.0.0.1, with delivery latency, loss and order counted per phase.
 *
 * <p>Each publish carries {@code {"t":<System.nanoTime()>,"p":<phase>,"s":<n>}}: latency is the subscriber's read
 * time minus {@code t} (one process, one clock), and an event belongs to the phase it was published in, so what a
 * phase published is exactly what its subscribers must receive, however late.
 */
final class HonestTraffic {

  private static final byte[] EVENT = "{\"type\":\"event\"".getBytes();
  private static final byte[] EVENT_ID = "\"eventId\":\"".getBytes();
  private static final byte[] PHASE = "\"p\":".getBytes();

  private final Vertx vertx;
  private final Connector connector;
  private final int subscriberCount;
  private final int rate;
  private final String room = "honest-" + Long.toHexString(System.nanoTime() & 0xffffffL);
  private final String filler;
  private final List<Phase> phases = new CopyOnWriteArrayList<>();
  private final Recorder lastSecond = new Recorder(3);
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong closed = new AtomicLong();
  private final Map<String, Long> closeCodes = new TreeMap<>();
  private volatile int current = -1;
  private List<WireSocket> subscribers = List.of();
  private WireSocket publisher;
  private long published;
  private long periodic = -1;

  HonestTraffic(Vertx vertx, Connector connector, BenchOptions options) {
    this.vertx = vertx;
    this.connector = connector;
    this.subscriberCount = options.integer("subscribers", 20);
    this.rate = options.integer("rate", 50);
    this.filler = "x".repeat(options.integer("payload", 100));
  }

  int subscriberCount() {
    return subscriberCount;
  }

  int rate() {
    return rate;
  }

  /** Opens the subscribers, then the publisher; throws when one is not ready in time. */
  void connect() throws Exception {
    subscribers = connector.openMany(subscriberCount, 32, i -> room, i -> new Target.Listener() { })
        .await(60, TimeUnit.SECONDS);
    for (WireSocket ws : subscribers) {
      long[] last = {0};
      ws.textHandler((data, from, to) -> onText(data, from, to, last));
      ws.closeHandler(() -> onClosed(ws));
    }
    publisher = connector.open(null, -1, new Target.Listener() {
      @Override
      public void onAck(long requestId, long eventId) {
        acked.incrementAndGet();
      }
    }).await(30, TimeUnit.SECONDS);
    publisher.closeHandler(() -> onClosed(publisher));
  }

  /** Publishes at the steady rate from now on, into the current phase; call {@link #phase()} first. */
  void startPublishing() {
    long start = System.nanoTime();
    periodic = vertx.setPeriodic(1, t -> {
      long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
      for (; published < due; published++) {
        int phase = current;
        phases.get(phase).published.incrementAndGet();
        publisher.sendText("{\"type\":\"publish\",\"requestId\":\"" + published + "\",\"sessionId\":\"" + room
            + "\",\"eventType\":\"tick\",\"payload\":{\"t\":" + System.nanoTime() + ",\"p\":" + phase + ",\"s\":"
            + published + ",\"fill\":\"" + filler + "\"}}");
      }
    });
  }

  /** Begins a phase: what is published from now on belongs to it. Answers its index for {@link #figures}. */
  synchronized int phase() {
    phases.add(new Phase());
    current = phases.size() - 1;
    return current;
  }

  /** Stops publishing and waits up to {@code seconds} for every published event to reach every subscriber. */
  void stopAndDrain(int seconds) throws InterruptedException {
    vertx.cancelTimer(periodic);
    Thread.sleep(100);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline && phases.stream().anyMatch(p -> p.received.get()
        < p.published.get() * subscriberCount)) {
      Thread.sleep(20);
    }
  }

  /** The latency percentiles of the last second (for progress lines) and the deliveries in it. */
  Histogram lastSecond() {
    return lastSecond.getIntervalHistogram();
  }

  /** A phase's figures: latency, what was published and received, gaps and repeats. */
  JsonObject figures(int index) {
    Phase phase = phases.get(index);
    long expected = phase.published.get() * subscriberCount;
    synchronized (phase) {
      return new JsonObject().put("p50Ms", Stats.ms(phase.latency, 50)).put("p99Ms", Stats.ms(phase.latency, 99))
          .put("maxMs", Stats.round(phase.latency.getMaxValue() / 1000.0)).put("published", phase.published.get())
          .put("expected", expected).put("received", phase.received.get())
          .put("lost", Math.max(0, expected - phase.received.get())).put("gaps", phase.gaps.get())
          .put("duplicates", phase.duplicates.get());
    }
  }

  /** Over every phase: unacknowledged publishes, gaps, repeats, losses, and the honest connections the node closed. */
  JsonObject totals() {
    long expected = 0;
    long received = 0;
    long gaps = 0;
    long duplicates = 0;
    for (Phase phase : phases) {
      expected += phase.published.get() * subscriberCount;
      received += phase.received.get();
      gaps += phase.gaps.get();
      duplicates += phase.duplicates.get();
    }
    synchronized (closeCodes) {
      return new JsonObject().put("published", published).put("unacked", published - acked.get())
          .put("lost", Math.max(0, expected - received)).put("gaps", gaps).put("duplicates", duplicates)
          .put("closed", closed.get()).put("closeCodes", new JsonObject(Map.copyOf(closeCodes)));
    }
  }

  /** Stops publishing, if it has not stopped, and closes every honest connection. */
  void close() {
    vertx.cancelTimer(periodic);
    vertx.runOnContext(v -> {
      subscribers.forEach(ws -> ws.closeHandler(() -> { }));
      subscribers.forEach(WireSocket::close);
      if (publisher != null) {
        publisher.closeHandler(() -> { });
        publisher.close();
      }
    });
  }

  private void onText(Buffer data, int from, int to, long[] last) {
    if (to - from < EVENT.length || WireSocket.indexOf(data, from, from + EVENT.length, EVENT) != from) {
      return;
    }
    long now = System.nanoTime();
    long sent = Target.stamp(data, from, to);
    int at = WireSocket.indexOf(data, from, to, PHASE);
    int id = WireSocket.indexOf(data, from, to, EVENT_ID);
    if (sent < 0 || at < 0 || id < 0) {
      return;
    }
    Phase phase = phases.get((int) WireSocket.number(data, at + PHASE.length, to));
    long eventId = WireSocket.number(data, id + EVENT_ID.length, to);
    // the session is new and every subscriber was in it before the first publish: eventIds run 1, 2, 3...
    if (eventId <= last[0]) {
      phase.duplicates.incrementAndGet();
    } else if (eventId != last[0] + 1) {
      phase.gaps.incrementAndGet();
    }
    last[0] = Math.max(last[0], eventId);
    long micros = Math.max(0, (now - sent) / 1000);
    synchronized (phase) {
      phase.latency.recordValue(micros);
    }
    phase.received.incrementAndGet();
    lastSecond.recordValue(micros);
  }

  private void onClosed(WireSocket ws) {
    closed.incrementAndGet();
    synchronized (closeCodes) {
      closeCodes.merge(AttackLedger.closeOf(ws), 1L, Long::sum);
    }
  }

  /** What one phase published and what its subscribers received of it. */
  private static final class Phase {
    final Histogram latency = new Histogram(3);
    final AtomicLong published = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
  }
}
