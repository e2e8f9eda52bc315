package dev.switchboard.realtime.metrics;

import dev.switchboard.protocol.Meters;
import dev.switchboard.protocol.MicrosClock;
import dev.switchboard.realtime.canary.CanaryMeters;
import dev.switchboard.realtime.hook.HookKind;
import dev.switchboard.realtime.wire.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The edge's meters (docs/ARCHITECTURE.md, Metrics): connections, deliveries and fan-out latency, resumes, fallbacks,
 * refusals. Every meter is built here, once, with its tags; the edge's loops record on held meters, which takes
 * no lock and allocates nothing (counters are striped adders, histograms fixed arrays of buckets). No label value
 * ever comes from a client except through a closed set ({@link Transport}, close codes, {@link RateLimitKind},
 * {@link UpgradeFailure}).
 */
public final class EdgeMetrics {

  private final Map<Transport, ConnectionMeters> connections = new EnumMap<>(Transport.class);
  private final Counter[][] fallbacks = new Counter[Transport.values().length][Transport.values().length];
  private final Map<RateLimitKind, Counter> rateLimited = new EnumMap<>(RateLimitKind.class);
  private final Map<UpgradeFailure, Counter> upgradeFailures = new EnumMap<>(UpgradeFailure.class);
  private final Counter replayedEvents;
  private final Counter signals;
  private final Counter slowConsumerCloses;
  private final Counter gapRepairs;
  private final Timer delivery;
  private final Timer fanout;
  private final CanaryMeters canary;
  private final AtomicInteger namespacesDisagreeing = new AtomicInteger();
  private final MeterRegistry registry;
  /** Hook meters, registered on first use (a closed set: {@link HookKind} and five outcomes); none without hooks. */
  private final Map<String, Counter> hookCalls = new ConcurrentHashMap<>();
  private final Map<HookKind, Timer> hookTimes = new ConcurrentHashMap<>();

  public EdgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Transport transport : Transport.values()) {
      connections.put(transport, new ConnectionMeters(registry, transport));
      for (Transport to : Transport.values()) {
        if (to != transport) {
          fallbacks[transport.ordinal()][to.ordinal()] = Meters.counter(registry, "switchboard.fallbacks",
              "clients that reported falling back from one transport to another",
              Tags.of("from", transport.label(), "to", to.label()));
        }
      }
    }
    for (RateLimitKind kind : RateLimitKind.values()) {
      rateLimited.put(kind, Meters.counter(registry, "switchboard.rate.limited",
          "requests, frames and connections refused by a rate or connection limit", Tags.of("kind", kind.label())));
    }
    for (UpgradeFailure reason : UpgradeFailure.values()) {
      upgradeFailures.put(reason, Meters.counter(registry, "switchboard.websocket.upgrade.failures",
          "WebSocket upgrades that did not become a connection", Tags.of("reason", reason.label())));
    }
    replayedEvents = Meters.counter(registry, "switchboard.replayed.events",
        "events sent to resuming subscribers from the log", Tags.empty());
    signals = Meters.counter(registry, "switchboard.signals", "signals sent by this edge's clients", Tags.empty());
    slowConsumerCloses = Meters.counter(registry, "switchboard.slow.consumer.closes",
        "connections ended because their outbound queue passed SB_OUTBOUND_LIMIT_BYTES", Tags.empty());
    gapRepairs = Meters.counter(registry, "switchboard.gap.repairs",
        "reads of the log that a hub made to fill a gap or a lost tail in the live events", Tags.empty());
    delivery = Meters.latency(registry, "switchboard.delivery",
        "from an event's commit to its write on a subscriber's socket (live events)", Tags.empty());
    fanout = Meters.latency(registry, "switchboard.fanout",
        "from an event's commit until its writes to every local subscriber of its session are flushed", Tags.empty());
    canary = new CanaryMeters(registry);
    Gauge.builder("switchboard.namespaces.disagreeing", namespacesDisagreeing, AtomicInteger::get)
        .description("cluster members whose namespace configuration differs from this node's").register(registry);
  }

  /**
   * A backend hook answered (or not): {@code outcome} is {@code allow}, {@code refuse}, {@code replace} (a publish
   * whose payload the backend replaced), {@code failure} or {@code cached} (an allow answer reused, no call).
   */
  public void hookCalled(HookKind kind, String outcome, long nanos) {
    hookCalls.computeIfAbsent(kind.label() + " " + outcome, k -> Meters.counter(registry, "switchboard.hook.calls",
        "backend hook calls by hook and outcome", Tags.of("hook", kind.label(), "outcome", outcome))).increment();
    if (!"cached".equals(outcome)) {
      hookTimes.computeIfAbsent(kind, k -> Meters.latency(registry, "switchboard.hook",
          "how long the application's backend took to answer a hook call", Tags.of("hook", k.label())))
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** How many cluster members have a namespace configuration other than this node's. */
  public void namespacesDisagreeing(int members) {
    namespacesDisagreeing.set(members);
  }

  /** The delivery canary's meters. */
  public CanaryMeters canary() {
    return canary;
  }

  /** Meters that record nothing. */
  public static EdgeMetrics none() {
    return new EdgeMetrics(Meters.none());
  }

  /** A connection opened; returns the time to hand back to {@link #connectionClosed}. */
  public long connectionOpened(Transport transport) {
    return connections.get(transport).opened();
  }

  /** A connection ended with {@code code} (a WebSocket close code, or its equivalent for SSE and polls). */
  public void connectionClosed(Transport transport, long openedAt, int code) {
    connections.get(transport).closed(openedAt, code);
  }

  /**
   * An event written to a subscriber. {@code committedAtMicros} is the commit time of a live event
   * ({@link dev.switchboard.protocol.MicrosClock}), 0 for one from the log (replayed or repaired), which is not timed.
   */
  public void delivered(Transport transport, long committedAtMicros, boolean replaying) {
    connections.get(transport).deliveries.increment();
    if (replaying) {
      replayedEvents.increment();
    } else if (committedAtMicros > 0) {
      delivery.record(Math.max(0, MicrosClock.now() - committedAtMicros), TimeUnit.MICROSECONDS);
    }
  }

  /** A live event's fan-out on this edge is over: every local subscriber's write was issued. */
  public void fannedOut(long committedAtMicros) {
    if (committedAtMicros > 0) {
      fanout.record(Math.max(0, MicrosClock.now() - committedAtMicros), TimeUnit.MICROSECONDS);
    }
  }

  /** A subscription that asked to resume was placed: {@code reset} when its position could not be replayed. */
  public void resumed(Transport transport, boolean reset) {
    ConnectionMeters meters = connections.get(transport);
    (reset ? meters.resumesReset : meters.resumesReplayed).increment();
  }

  /** A client reported that it came to {@code to} after {@code from} failed (docs/PROTOCOL.md, fallbackFrom). */
  public void fellBack(Transport from, Transport to) {
    if (from != null && from != to) {
      fallbacks[from.ordinal()][to.ordinal()].increment();
    }
  }

  public void rateLimited(RateLimitKind kind) {
    rateLimited.get(kind).increment();
  }

  /** A connection limit refused a request or connection ({@link RateLimitKind#of}); other refusals are not counted. */
  public void refused(Refusal refusal) {
    RateLimitKind kind = RateLimitKind.of(refusal);
    if (kind != null) {
      rateLimited(kind);
    }
  }

  public void upgradeFailed(UpgradeFailure reason) {
    upgradeFailures.get(reason).increment();
  }

  public void signalSent() {
    signals.increment();
  }

  public void slowConsumerClosed() {
    slowConsumerCloses.increment();
  }

  public void gapRepaired() {
    gapRepairs.increment();
  }
}
