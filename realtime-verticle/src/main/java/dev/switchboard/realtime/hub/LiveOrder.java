package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Puts one session's live events in eventId order for its {@link SessionHub}. Live events are hints: one at or
 * before {@link #delivered()} is a duplicate and dropped; one after a gap is held back until the gap is repaired from
 * the event log, page by page, so the hub never delivers a gap or a reordering whatever the bus does
 * (docs/ARCHITECTURE.md, Fan-out). A head check that finds the log ahead repairs up to it too.
 *
 * <p>Not thread-safe: runs on its hub's event loop.
 */
final class LiveOrder {

  private static final Logger LOG = LoggerFactory.getLogger(LiveOrder.class);
  private static final long REPAIR_RETRY_MS = 250;
  /** The most events one gap repair asks the log for; a longer gap is repaired page after page. */
  private static final int REPAIR_PAGE = 1000;

  private final String sessionId;
  private final EventLog log;
  private final Vertx vertx;
  private final FlushBatch flushes;
  private final EdgeMetrics metrics;
  /** Whether the hub still takes events: false once it has closed, and the repairs stop. */
  private final BooleanSupplier open;
  /** Delivers the next event in order to the hub's live subscribers. */
  private final Consumer<EncodedEvent> deliver;

  /** The last eventId delivered live, or -1 before the session's head is known. */
  private long delivered = -1;
  private final TreeMap<Long, StoredEvent> pending = new TreeMap<>();
  private boolean repairing;
  /** The highest eventId the log is known to hold (from a head check); repairs go up to it. */
  private long knownHead = -1;

  LiveOrder(String sessionId, EventLog log, Vertx vertx, FlushBatch flushes, EdgeMetrics metrics,
            BooleanSupplier open, Consumer<EncodedEvent> deliver) {
    this.sessionId = sessionId;
    this.log = log;
    this.vertx = vertx;
    this.flushes = flushes;
    this.metrics = metrics;
    this.open = open;
    this.deliver = deliver;
  }

  /** The last eventId delivered live (the session's head as far as the hub knows), or -1 before {@link #start}. */
  long delivered() {
    return delivered;
  }

  boolean started() {
    return delivered >= 0;
  }

  /** The session's head is known; the hub delivers from it on once it has placed its first subscribers. */
  void start(long head) {
    delivered = head;
  }

  /** Delivers the events held back before {@link #start}, in order, repairing any gap among them. */
  void deliverHeld() {
    drainPending();
  }

  /** An event that arrived before the head was known: kept until {@link #start}. */
  void hold(StoredEvent event) {
    pending.put(event.seq(), event);
  }

  /** A live event, in commit order as the bus delivered it; the caller keeps and releases {@code encoded}. */
  void arrived(StoredEvent event, EncodedEvent encoded) {
    if (event.seq() <= delivered) {
      return;
    }
    if (event.seq() == delivered + 1 && pending.isEmpty()) {
      deliver(encoded);
    } else {
      pending.put(event.seq(), event);
      drainPending();
    }
  }

  /** A head check read {@code stored} from the log: repairs up to it if the hub is behind. */
  void logHeadIs(long stored) {
    if (stored > delivered && stored > knownHead) {
      // No session id at INFO (docs/ARCHITECTURE.md, Logs): the repair needs no one, and the count tells the story.
      LOG.info("a hub is {} events behind the log (live events were lost); repairing its tail", stored - delivered);
      knownHead = stored;
      repair();
    }
  }

  void clear() {
    pending.clear();
  }

  private void drainPending() {
    while (!pending.isEmpty()) {
      Map.Entry<Long, StoredEvent> first = pending.firstEntry();
      if (first.getKey() <= delivered) {
        pending.pollFirstEntry();
      } else if (first.getKey() == delivered + 1) {
        pending.pollFirstEntry();
        deliver(first.getValue());
      } else {
        break;
      }
    }
    if (!pending.isEmpty()) {
      repair();
    }
  }

  /**
   * Fetches the events missing between the head and the first held-back event, or, with nothing held back, up to the
   * head a head check found.
   */
  private void repair() {
    if (repairing || !started() || !open.getAsBoolean()) {
      return;
    }
    long upTo = pending.isEmpty() ? knownHead : pending.firstKey() - 1;
    if (upTo <= delivered) {
      return;
    }
    repairing = true;
    metrics.gapRepaired();
    log.replay(new ReplayRequest(sessionId, delivered, upTo, REPAIR_PAGE)).onComplete(ar -> {
      repairing = false;
      if (!open.getAsBoolean()) {
        return;
      }
      if (ar.failed()) {
        LOG.warn("session {}: gap after {} not repaired yet: {}", sessionId, delivered, ar.cause().getMessage());
        vertx.setTimer(REPAIR_RETRY_MS, t -> repair());
        return;
      }
      ReplayResult page = ar.result();
      if (page.reset() != null || page.events().isEmpty()) {
        LOG.warn("session {}: events {}-{} are gone from the log; continuing after them", sessionId, delivered + 1, upTo);
        delivered = upTo;
        drainPending();
        repair();
      } else {
        flushes.around(() -> {
          for (StoredEvent event : page.events()) {
            if (event.seq() == delivered + 1) {
              deliver(event);
            }
          }
          drainPending();
          repair();
        });
      }
    });
  }

  /** An event held back or repaired from the log: encoded here, its commit time unknown. */
  private void deliver(StoredEvent event) {
    EncodedEvent encoded = EncodedEvent.of(event);
    try {
      deliver(encoded);
    } finally {
      encoded.release();
    }
  }

  private void deliver(EncodedEvent encoded) {
    delivered = encoded.seq();
    deliver.accept(encoded);
  }
}
