/**
 * Reconnect delays: exponential backoff with full jitter (docs/PROTOCOL.md, Recommended client behaviour).
 * Attempt n waits a uniformly random time in [0, min(max, base * 2^n)), so that thousands of clients dropped by
 * one server restart do not all come back in the same instant.
 */

export const DEFAULT_BACKOFF = Object.freeze({ baseMs: 500, maxMs: 30_000 });

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

  next() {
    return backoffDelay(this.#attempt++, this.#options);
  }

  reset() {
    this.#attempt = 0;
  }
}
