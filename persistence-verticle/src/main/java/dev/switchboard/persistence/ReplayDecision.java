package dev.switchboard.persistence;

import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.StoredEvent;

import java.util.List;

/**
 * What a replay request is answered with, decided once for every {@link EventStore}: the table of
 * {@link EventStore#replay}. A store supplies the {@link Reads} of one snapshot of its log, and this decides which of
 * them the answer needs and in which order.
 */
final class ReplayDecision {

  private ReplayDecision() {
  }

  /**
   * What the decision reads from a store for one request, all from one snapshot of the session's log. A store may read
   * lazily: the decision asks for nothing its answer does not need.
   *
   * @param <E> what a read may fail with
   */
  interface Reads<E extends Exception> {

    /** The session's last sequence number, 0 for a session never seen. */
    long head() throws E;

    /** Whether event {@code after + 1} is still stored: retention has not deleted it. */
    boolean nextRetained() throws E;

    /** The events with {@code after < seq <= upTo}, ascending, at most {@link #pageLimit} of them. */
    List<StoredEvent> page() throws E;
  }

  /** Why no store answers {@code request} (a negative position or limit), or {@code null} when it is answerable. */
  static IllegalArgumentException refusal(ReplayRequest request) {
    if (request.after() < 0 || request.limit() < 0) {
      return new IllegalArgumentException("after and limit must not be negative");
    }
    return null;
  }

  /** The most events a page of {@code request} holds: its limit, capped at {@link EventStore#MAX_REPLAY_PAGE}. */
  static int pageLimit(ReplayRequest request) {
    return Math.min(request.limit(), EventStore.MAX_REPLAY_PAGE);
  }

  /** The answer to {@code request}, from the snapshot {@code log}; see {@link EventStore#replay} for the table. */
  static <E extends Exception> ReplayResult answer(ReplayRequest request, Reads<E> log) throws E {
    long head = log.head();
    long after = request.after();
    if (request.limit() == 0) {
      return new ReplayResult(List.of(), head, null);
    }
    if (after > head) {
      return new ReplayResult(List.of(), head, ResetReason.UNKNOWN_EVENT);
    }
    // after == 0 asks for the whole retained history, so it is never "expired" (docs/PROTOCOL.md, Subscribing and
    // resuming: fromEventId=0).
    if (after > 0 && after < head && !log.nextRetained()) {
      return new ReplayResult(List.of(), head, ResetReason.HISTORY_EXPIRED);
    }
    if (request.upTo() <= after) {
      return new ReplayResult(List.of(), head, null);
    }
    return new ReplayResult(log.page(), head, null);
  }
}
