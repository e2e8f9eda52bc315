package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.StoredEvent;
import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One session's replay reads, shared by its subscribers (docs/ARCHITECTURE.md, A crowd comes back): when a node
 * restarts, or a network blip drops a crowd, thousands of subscribers of one session resume at once from nearly the
 * same eventId, and one store read each would queue them all behind the store.
 *
 * <ul>
 *   <li>A read asked while the same read (same position, target and page size) is in flight waits for that one.</li>
 *   <li>A page read in the last {@link #KEEP_MS} ms answers a later read whose position lies inside it, with the
 *       events after that position (never an empty answer: a position at the page's end asks the store, so that
 *       only the store says whether a position is current, unknown or expired).</li>
 *   <li>An answer for exactly the same read, within that time, is reused as it is (an empty one included: the
 *       subscribers of a quiet session all resuming from its head).</li>
 * </ul>
 *
 * <p>Events never change once stored, so a page stays right; only retention could make it stale, which is why pages
 * are kept for seconds and no more. Used on the hub's event loop; at most {@link #MAX_PAGES} pages are kept.
 */
final class SharedReplays {

  static final long KEEP_MS = 2_000;
  static final int MAX_PAGES = 4;

  private final EventLog log;
  private final LongSupplier clockMs;
  private final Map<ReplayRequest, Future<ReplayResult>> inFlight = new HashMap<>();
  private final ArrayDeque<Page> recent = new ArrayDeque<>(MAX_PAGES);
  private long storeReads;

  SharedReplays(EventLog log, LongSupplier clockMs) {
    this.log = log;
    this.clockMs = clockMs;
  }

  /** The answer to {@code request}, from a read in flight, a recent page, or the store. */
  Future<ReplayResult> read(ReplayRequest request) {
    Future<ReplayResult> pending = inFlight.get(request);
    if (pending != null) {
      return pending;
    }
    ReplayResult kept = fromRecent(request);
    if (kept != null) {
      return Future.succeededFuture(kept);
    }
    storeReads++;
    Future<ReplayResult> read = log.replay(request);
    inFlight.put(request, read);
    read.onComplete(ar -> {
      inFlight.remove(request);
      if (ar.succeeded()) {
        keep(new Page(request, ar.result(), clockMs.getAsLong()));
      }
    });
    return read;
  }

  /** How many reads went to the store (tests and metrics). */
  long storeReads() {
    return storeReads;
  }

  /** The hub closed: nothing is kept. */
  void clear() {
    recent.clear();
  }

  private ReplayResult fromRecent(ReplayRequest request) {
    long now = clockMs.getAsLong();
    for (Iterator<Page> pages = recent.iterator(); pages.hasNext(); ) {
      Page page = pages.next();
      if (now - page.readAt > KEEP_MS) {
        pages.remove();
        continue;
      }
      if (page.request.equals(request)) {
        return page.result;
      }
      ReplayResult slice = page.after(request);
      if (slice != null) {
        return slice;
      }
    }
    return null;
  }

  private void keep(Page page) {
    if (recent.size() == MAX_PAGES) {
      recent.removeFirst();
    }
    recent.addLast(page);
  }

  /** One answer of the store, and when it came. */
  private record Page(ReplayRequest request, ReplayResult result, long readAt) {

    /**
     * The events of this page after {@code request}'s position, up to its target and page size, when the position
     * lies inside the page (at or after its own position, before its last event); else null.
     */
    ReplayResult after(ReplayRequest asked) {
      List<StoredEvent> events = result.events();
      if (result.reset() != null || events.isEmpty() || asked.after() < request.after()
          || asked.after() + 1 < events.get(0).seq() || asked.after() >= events.get(events.size() - 1).seq()) {
        return null;
      }
      List<StoredEvent> slice = new ArrayList<>();
      for (StoredEvent event : events) {
        if (event.seq() > asked.after() && event.seq() <= asked.upTo()
            && (asked.limit() <= 0 || slice.size() < asked.limit())) {
          slice.add(event);
        }
      }
      return slice.isEmpty() ? null : new ReplayResult(slice, result.head(), null);
    }
  }
}
