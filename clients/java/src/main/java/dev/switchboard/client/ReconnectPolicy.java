package dev.switchboard.client;

import java.util.function.LongSupplier;

/**
 * What the client does after its transport ended by itself: stop, come back at once with a new token, step down a
 * transport, or wait out the backoff (docs/PROTOCOL.md, Recommended client behaviour). It decides; the connection
 * acts, so every rule here can be tested without a network.
 */
final class ReconnectPolicy {

  /** A connection that stayed up this long proved itself: the next drop starts the backoff from the beginning. */
  static final long STABLE_MS = 5_000;

  /** A decision: stop with a reason, or retry after a delay on a transport. */
  static final class Decision {
    final String stop;
    final long retryInMs;
    final Transport transport;
    final String reason;

    private Decision(String stop, long retryInMs, Transport transport, String reason) {
      this.stop = stop;
      this.retryInMs = retryInMs;
      this.transport = transport;
      this.reason = reason;
    }

    static Decision stop(String reason) {
      return new Decision(reason, -1, null, null);
    }

    static Decision retry(long delayMs, Transport transport, String reason) {
      return new Decision(null, delayMs, transport, reason);
    }
  }

  private final Backoff backoff;
  private final TransportLadder ladder;
  private final LongSupplier clock;
  private final long recoveryMaxMs;
  private final long recoveryWindowMs;
  private long openedAt;
  private int authFailuresInARow;
  private long recoveringUntil = Long.MIN_VALUE;
  private int fastDropsInARow;

  /**
   * @param clock milliseconds of a monotonic clock
   * @param recoveryMaxMs the ceiling of the delays after a healthy connection dropped, for {@code recoveryWindowMs}
   */
  ReconnectPolicy(Backoff backoff, TransportLadder ladder, LongSupplier clock, long recoveryMaxMs,
                  long recoveryWindowMs) {
    this.backoff = backoff;
    this.ladder = ladder;
    this.clock = clock;
    this.recoveryMaxMs = recoveryMaxMs;
    this.recoveryWindowMs = recoveryWindowMs;
  }

  void reset() {
    backoff.reset();
  }

  void opened() {
    authFailuresInARow = 0;
    openedAt = clock.getAsLong();
    ladder.opened();
  }

  long afterTokenFailure() {
    return backoff.next();
  }

  Decision afterClose(LinkClosed closed, boolean canRefreshToken) {
    Transport transport = ladder.current();
    switch (closed.action) {
      case STOP:
        return Decision.stop(closed.error == null ? "stopped by the server" : closed.error.code().wire());
      case REFRESH_TOKEN:
        if (!canRefreshToken) {
          return Decision.stop("unauthorized: set a new token with setToken() and call connect()");
        }
        // The first refusal is an expired token: get a new one and come back at once. More in a row means the
        // supplier hands out tokens the server refuses: back off like any failure.
        authFailuresInARow++;
        return Decision.retry(authFailuresInARow == 1 ? 0 : backoff.next(), transport, "unauthorized");
      default:
        break;
    }
    if (closed.wasOpen) {
      boolean stable = clock.getAsLong() - openedAt >= STABLE_MS;
      fastDropsInARow = stable ? 0 : fastDropsInARow + 1;
      if (stable) {
        backoff.reset();
      }
      // A connection that was up dropped: most likely a restart or a network blip, over in seconds. Retry quickly
      // (jittered under a low ceiling) for a while, so the client is back soon after the node is. A second drop in a
      // row of a connection that had just opened means something beyond a restart: let the delays grow.
      recoveringUntil = fastDropsInARow <= 1 ? clock.getAsLong() + recoveryWindowMs : Long.MIN_VALUE;
    } else if (ladder.failedToConnect()) {
      backoff.reset();
      return Decision.retry(0, ladder.current(), "fallback");
    }
    long delay = backoff.next(clock.getAsLong() < recoveringUntil ? recoveryMaxMs : Long.MAX_VALUE);
    if (closed.action == CloseCode.Action.WAIT) {
      long asked = closed.error == null ? -1 : closed.error.retryAfterMs();
      delay = Math.max(delay, asked > 0 ? asked : Backoff.RATE_LIMITED_MIN_MS);
    } else if (closed.error != null && closed.error.retryAfterMs() > 0) {
      delay = Math.max(delay, closed.error.retryAfterMs());
    }
    return Decision.retry(delay, transport, null);
  }
}
