package dev.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reconnect storm (Switchboard only): N subscribers over S sessions while one publisher keeps R events/s flowing;
 * the node is killed with SIGKILL and started again (--restart-cmd); every subscriber reconnects by --policy and
 * resumes from the last eventId it saw: {@code client} as the JavaScript and Java clients do (full jitter, below 2 s
 * for a minute after a healthy connection dropped, then 0.5 s doubling to 30 s; a 1013's wait obeyed), {@code fixed}
 * every 250-500 ms, {@code legacy} as the clients did before (0.5 s doubling to 30 s from the first drop). Reports the
 * time from the kill until each subscriber has its missed events ({@code replayed}), and proves that every subscriber
 * ends with every stored event of its session exactly once: eventIds 1..last with no gap and no repeat.
 *
 * <p>The publisher retries every unanswered publish with its idempotency key after it reconnects, so events whose
 * ack died with the node are stored once.
 */
final class StormBench {

  private static final long BASE_MS = 500;
  private static final long MAX_MS = 30_000;
  private static final long RECOVERY_MAX_MS = 2_000;
  private static final long RECOVERY_WINDOW_MS = 60_000;
  private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d+) ms");

  private final BenchOptions options;
  private final Vertx vertx;
  private final Connector connector;
  private final int subscriberCount;
  private final int sessions;
  private final String policy;
  private final String prefix = "bench-storm-" + Long.toHexString(System.nanoTime() & 0xffffffL) + "-";
  private final AtomicLongArray stored;
  private final Map<Long, String> unacked = new ConcurrentSkipListMap<>();
  private final Map<Long, Long> sentAt = new ConcurrentSkipListMap<>();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicLong resumed = new AtomicLong();
  private final AtomicLong attempts = new AtomicLong();
  private final Histogram resumeMs = new Histogram(3);
  private final java.util.Queue<Long> resumedAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private volatile long killedAt;
  private volatile boolean stopping;
  private volatile WireSocket publisher;
  private long nextRequest = 1;

  StormBench(BenchOptions options, Vertx vertx, Connector connector) {
    this.options = options;
    this.vertx = vertx;
    this.connector = connector;
    this.subscriberCount = options.integer("subscribers", 10_000);
    this.sessions = options.integer("sessions", 10);
    this.policy = options.string("policy", "client");
    if (!List.of("client", "fixed", "legacy").contains(policy)) {
      throw new IllegalArgumentException("--policy is client, fixed or legacy, not " + policy);
    }
    this.stored = new AtomicLongArray(sessions);
  }

  void run() throws Exception {
    if (!connector.target().name().equals("switchboard")) {
      throw new IllegalArgumentException("storm needs resume, which only --target switchboard offers");
    }
    String restart = options.string("restart-cmd", null);
    if (restart == null || options.serverPid <= 0) {
      throw new IllegalArgumentException("storm needs --server-pid and --restart-cmd");
    }
    for (int i = 0; i < subscriberCount; i++) {
      subscribers.add(new Subscriber(i % sessions));
    }
    long start = System.nanoTime();
    int window = options.integer("window", 256);
    List<WireSocket> opened = connector.openMany(subscriberCount, window, i -> room(i % sessions), subscribers::get)
        .await(120, TimeUnit.SECONDS);
    for (int i = 0; i < subscriberCount; i++) {
      subscribers.get(i).attached(opened.get(i));
    }
    connectPublisher();
    System.err.printf("storm: %,d subscribers over %d sessions ready in %.1f s%n", subscriberCount, sessions,
        (System.nanoTime() - start) / 1e9);

    int rate = options.integer("rate", 50);
    long publishStart = System.nanoTime();
    long[] sent = {0};
    long publishing = vertx.setPeriodic(1, t -> {
      long due = (System.nanoTime() - publishStart) * rate / 1_000_000_000L;
      for (; sent[0] < due; sent[0]++) {
        publish();
      }
    });
    long retrying = vertx.setPeriodic(1000, t -> retryStale());
    Thread.sleep(options.warmup * 1000L);

    System.err.printf("storm: SIGKILL to the node (pid %d) under %,d subscribers and %d events/s%n", options.serverPid,
        subscriberCount, rate);
    killedAt = System.nanoTime();
    ProcessHandle.of(options.serverPid).ifPresent(ProcessHandle::destroyForcibly);
    ProcessHandle.of(options.serverPid).ifPresent(p -> p.onExit().join());
    Process restarted = new ProcessBuilder("sh", "-c", restart).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String newPid = new String(restarted.getInputStream().readAllBytes()).trim();
    restarted.waitFor(30, TimeUnit.SECONDS);
    double listeningSec = waitUntilListening(killedAt);
    long listeningAt = killedAt + (long) (listeningSec * 1e9);
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(options.integer("deadline", 60));
    long progress = System.nanoTime();
    while (resumed.get() < subscriberCount && System.nanoTime() < deadline) {
      Thread.sleep(50);
      if (System.nanoTime() - progress > 1_000_000_000L) {
        progress = System.nanoTime();
        System.err.printf("  %.1f s after the kill: %,d resumed%n", (progress - killedAt) / 1e9, resumed.get());
      }
    }
    double allResumedSec = resumed.get() < subscriberCount ? -1 : (System.nanoTime() - killedAt) / 1e9;
    System.err.printf("storm: %,d of %,d resumed; every one after %.2f s%n", resumed.get(), subscriberCount,
        allResumedSec);
    Histogram afterListening = new Histogram(3);
    resumedAt.forEach(at -> afterListening.recordValue(Math.max(0, (at - listeningAt) / 1_000_000)));
    Thread.sleep(options.integer("after", 3) * 1000L);
    vertx.cancelTimer(publishing);
    long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while ((!unacked.isEmpty() || !allCaughtUp()) && System.nanoTime() < settle) {
      Thread.sleep(100);
    }
    vertx.cancelTimer(retrying);
    stopping = true;
    long caughtUp = subscribers.stream().filter(s -> s.last == stored.get(s.session)).count();
    long storedEvents = 0;
    for (int s = 0; s < sessions; s++) {
      storedEvents += stored.get(s);
    }
    FanoutBench.emit(new JsonObject().put("scenario", "storm").put("target", "switchboard")
        .put("subscribers", subscriberCount).put("sessions", sessions).put("rate", rate).put("policy", policy)
        .put("restartedPid", newPid).put("listeningAfterSec", Stats.round(listeningSec))
        .put("resumed", resumed.get()).put("allResumedSec", Stats.round(allResumedSec))
        .put("resumeP50Sec", sec(50)).put("resumeP95Sec", sec(95)).put("resumeP99Sec", sec(99))
        .put("resumeMaxSec", Stats.round(resumeMs.getMaxValue() / 1000.0))
        .put("resumeAfterListeningP50Sec", Stats.round(afterListening.getValueAtPercentile(50) / 1000.0))
        .put("resumeAfterListeningP95Sec", Stats.round(afterListening.getValueAtPercentile(95) / 1000.0))
        .put("reconnectAttempts", attempts.get()).put("eventsStored", storedEvents)
        .put("unacked", unacked.size()).put("caughtUp", caughtUp).put("gaps", gaps.get())
        .put("duplicates", duplicates.get()).put("deliveries", deliveries.get())
        .put("exactlyOnce", caughtUp == subscriberCount && gaps.get() == 0 && duplicates.get() == 0
            && unacked.isEmpty()));
  }

  private double sec(double percentile) {
    return Stats.round(resumeMs.getValueAtPercentile(percentile) / 1000.0);
  }

  private boolean allCaughtUp() {
    return subscribers.stream().allMatch(s -> s.last == stored.get(s.session));
  }

  private double waitUntilListening(long since) throws InterruptedException {
    while (System.nanoTime() - since < TimeUnit.SECONDS.toNanos(60)) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(options.host, options.port), 200);
        return (System.nanoTime() - since) / 1e9;
      } catch (IOException e) {
        Thread.sleep(20);
      }
    }
    return -1;
  }

  private void publish() {
    long request = nextRequest++;
    int session = (int) (request % sessions);
    String frame = "{\"type\":\"publish\",\"requestId\":\"" + request + "\",\"idempotencyKey\":\"storm-" + request
        + "\",\"sessionId\":\"" + room(session) + "\",\"eventType\":\"tick\",\"payload\":{\"t\":" + System.nanoTime()
        + ",\"s\":" + request + "}}";
    unacked.put(request, frame);
    sentAt.put(request, System.nanoTime());
    WireSocket ws = publisher;
    if (ws != null) {
      ws.sendText(frame);
    }
  }

  /** Publishes unanswered for 2 s go again: an error answer or an ack lost with the node. */
  private void retryStale() {
    long stale = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);
    WireSocket ws = publisher;
    if (ws == null) {
      return;
    }
    unacked.forEach((request, frame) -> {
      Long at = sentAt.get(request);
      if (at != null && at < stale) {
        sentAt.put(request, System.nanoTime());
        ws.sendText(frame);
      }
    });
  }

  private void connectPublisher() {
    connector.open(null, -1, new Target.Listener() {
      @Override
      public void onAck(long requestId, long eventId) {
        if (unacked.remove(requestId) != null) {
          sentAt.remove(requestId);
          stored.accumulateAndGet((int) (requestId % sessions), eventId, Math::max);
        }
      }
    }).onComplete(result -> {
      if (result.failed()) {
        vertx.setTimer(100, t -> connectPublisher());
        return;
      }
      WireSocket ws = result.result();
      ws.closeHandler(() -> {
        publisher = null;
        if (!stopping) {
          vertx.setTimer(100, t -> connectPublisher());
        }
      });
      unacked.values().forEach(ws::sendText);
      unacked.keySet().forEach(request -> sentAt.put(request, System.nanoTime()));
      publisher = ws;
    });
  }

  private String room(int session) {
    return prefix + session;
  }

  /** One subscriber: the last eventId it saw, and its reconnect loop. */
  private final class Subscriber implements Target.Listener {
    final int session;
    volatile long last;
    private int attempt;
    private boolean dropped;
    private long droppedAt;

    Subscriber(int session) {
      this.session = session;
    }

    void attached(WireSocket ws) {
      ws.closeHandler(() -> onDrop(ws));
    }

    @Override
    public void onEvent(long sentNanos, long sequence, int bytes) {
      deliveries.incrementAndGet();
      if (sequence <= last) {
        duplicates.incrementAndGet();
        return;
      }
      if (sequence != last + 1) {
        gaps.incrementAndGet();
      }
      last = sequence;
    }

    @Override
    public void onReplayed() {
      if (dropped) {
        dropped = false;
        attempt = 0;
        synchronized (resumeMs) {
          resumeMs.recordValue(Math.max(0, (System.nanoTime() - killedAt) / 1_000_000));
        }
        resumedAt.add(System.nanoTime());
        resumed.incrementAndGet();
      }
    }

    private void onDrop(WireSocket ws) {
      if (stopping) {
        return;
      }
      if (!dropped) {
        // every subscriber's connection was healthy until the kill: the recovery window starts with the drop
        dropped = true;
        droppedAt = System.nanoTime();
      }
      Matcher asked = RETRY_AFTER.matcher(ws.closeCode() == 1013 ? ws.closeReason() : "");
      retryLater(asked.find() ? Long.parseLong(asked.group(1)) : ws.closeCode() == 1013 ? 1_000 : 0);
    }

    private void retryLater(long atLeastMs) {
      vertx.setTimer(Math.max(1, Math.max(atLeastMs, delay())), t -> {
        attempts.incrementAndGet();
        connector.open(room(session), last, this).onComplete(result -> {
          if (result.failed()) {
            retryLater(0);
          } else {
            WireSocket ws = result.result();
            ws.closeHandler(() -> onDrop(ws));
          }
        });
      });
    }

    private long delay() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      if (policy.equals("fixed")) {
        return 250 + random.nextLong(250);
      }
      long ceiling = Math.min(MAX_MS, BASE_MS << Math.min(attempt++, 16));
      boolean recovering = policy.equals("client")
          && System.nanoTime() - droppedAt < TimeUnit.MILLISECONDS.toNanos(RECOVERY_WINDOW_MS);
      return random.nextLong(recovering ? Math.min(ceiling, RECOVERY_MAX_MS) : ceiling);
    }
  }
}
