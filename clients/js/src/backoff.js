/**
 * Reconnect delays: exponential backoff with full jitter (docs/PROTOCOL.md, Recommended client behaviour).
 * Attempt n waits a uniformly random time in [0, min(max, base * 2^n)), so that thousands of clients dropped by
 * one server restart do not all come back in the same instant.
 */

/**
 * `recoveryMaxMs` / `recoveryWindowMs`: after an open connection drops, delays stay under `recoveryMaxMs` for
 * `recoveryWindowMs`, so the client is back within about 2 s of a restarted node (the jitter still spreads a crowd
 * over those 2 s); after that window, or once connections fail fast twice in a row, they grow as above.
 */
export const DEFAULT_BACKOFF = Object.freeze({ baseMs: 500, maxMs: 30_000, recoveryMaxMs: 2_000,
  recoveryWindowMs: 60_000 });

/** The least wait after the server said `rate_limited` without a Retry-After (a WebSocket `error` frame, a `4008`). */
const RATE_LIMITED_MIN_MS = 1_000;

/**
 * The wait before retrying after `error`, given the backoff's own `delayMs`: never less than the server's
 * `Retry-After`, and never less than 1 s after `rate_limited` (docs/PROTOCOL.md, Errors), since coming straight back
 * would only be refused again.
 */
export function retryWait(delayMs, error) {
  const floor = error?.retryAfterMs ?? (error?.code === 'rate_limited' ? RATE_LIMITED_MIN_MS : 0);
  return Math.max(delayMs, floor);
}

/** The upper bound of attempt `attempt`'s delay (attempt 0 is the first retry). */
export function backoffCeiling(attempt, { baseMs = DEFAULT_BACKOFF.baseMs, maxMs = DEFAULT_BACKOFF.maxMs } = {}) {
  // 2^31 is far past any cap; clamping keeps the arithmetic finite however long a client keeps failing.
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 31));
}

/** A random delay for attempt `attempt`, in [0, backoffCeiling(attempt)). */
export function backoffDelay(attempt, options = {}) {
  const random = options.random ?? Math.random;
  return Math.floor(random() * backoffCeiling(attempt, options));
}

/** Counts attempts and hands out their delays; `reset()` once a connection has proved itself. */
export class Backoff {
  #attempt = 0;
  #options;

  constructor(options = {}) {
    this.#options = options;
  }

  get attempt() {
    return this.#attempt;
  }

  /** The next attempt's delay; `capMs` (optional) lowers the ceiling for this one attempt. */
  next(capMs = Infinity) {
    const maxMs = Math.min(this.#options.maxMs ?? DEFAULT_BACKOFF.maxMs, capMs);
    return backoffDelay(this.#attempt++, { ...this.#options, maxMs });
  }

  reset() {
    this.#attempt = 0;
  }
}
