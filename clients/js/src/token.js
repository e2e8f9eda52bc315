import { SwitchboardError } from './errors.js';

/** The default margin: a token is refreshed this long before its `exp` (less for short-lived tokens). */
export const DEFAULT_REFRESH_BEFORE_MS = 60_000;
/** After a failed refresh, try again this soon (never later than a little before `exp`). */
const REFRESH_RETRY_MS = 5_000;

/** The `exp` claim of a JWT in epoch milliseconds, or null when the token is not a readable JWT or has none. */
export function tokenExpiry(token) {
  if (typeof token !== 'string') {
    return null;
  }
  const part = token.split('.')[1];
  if (!part) {
    return null;
  }
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims?.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * How long to wait before refreshing a token that expires at `expiresAt`: `refreshBeforeMs` ahead of `exp`, but
 * never more than a quarter of the remaining lifetime ahead, so a 60 s token is used for 45 s rather than refreshed
 * at once and forever.
 */
export function refreshDelay(expiresAt, now, refreshBeforeMs = DEFAULT_REFRESH_BEFORE_MS) {
  const remaining = expiresAt - now;
  if (remaining <= 0) {
    return 0;
  }
  return Math.floor(remaining - Math.min(refreshBeforeMs, remaining / 4));
}

/**
 * Holds the current token. With a callback it fetches tokens on demand (first connect, after a 4001/401) and
 * refreshes them ahead of `exp`; a fixed string is used as it is until `set()` replaces it.
 */
export class TokenSource {
  #provider;
  #token = null;
  #expiresAt = null;
  #inFlight = null;
  #timer = null;
  #refreshAt = null;
  #active = false;
  /** Told to the callback on the next fetch: `unauthorized` after the server refused the token. */
  #nextReason = 'initial';
  #now;
  #timers;
  #refreshBeforeMs;
  #onRefreshed;
  #onError;

  /**
   * @param {string | ((context: {reason: string}) => string | Promise<string>)} tokenOrProvider
   * @param {{now?: () => number, timers?: {setTimeout: Function, clearTimeout: Function}, refreshBeforeMs?: number,
   *   onRefreshed?: (token: string) => void, onError?: (error: Error) => void}} [options]
   */
  constructor(tokenOrProvider, options = {}) {
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? globalThis;
    this.#refreshBeforeMs = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
    this.#onRefreshed = options.onRefreshed ?? (() => {});
    this.#onError = options.onError ?? (() => {});
    if (typeof tokenOrProvider === 'function') {
      this.#provider = tokenOrProvider;
    } else if (typeof tokenOrProvider === 'string' && tokenOrProvider) {
      this.#remember(tokenOrProvider);
    }
  }

  /** Whether a new token can be had without the application's help. */
  get canRefresh() {
    return this.#provider !== undefined;
  }

  /** The token in force, or null. */
  get current() {
    return this.#token;
  }

  /** When the refresh timer fires next (epoch ms), or null: for tests and diagnostics. */
  get refreshAt() {
    return this.#timer === null ? null : this.#refreshAt;
  }

  /** A usable token: the current one unless it is missing or past `exp`, else a fresh one from the callback. */
  async get() {
    const expired = this.#expiresAt !== null && this.#expiresAt <= this.#now();
    if (this.#token && !(expired && this.canRefresh)) {
      return this.#token;
    }
    return this.fetch(this.#nextReason);
  }

  /** Asks the callback for a new token (concurrent callers share one call). */
  fetch(reason) {
    if (!this.canRefresh) {
      return this.#token
        ? Promise.resolve(this.#token)
        : Promise.reject(new SwitchboardError('unauthorized', 'no token: pass a token or a token callback'));
    }
    this.#inFlight ??= (async () => {
      try {
        // Called from a then(), so that a callback that throws at once still fails after #inFlight is set, and
        // the finally below clears it (a synchronous throw would otherwise leave the failure cached for good).
        const token = await Promise.resolve().then(() => this.#provider({ reason }));
        if (typeof token !== 'string' || token === '') {
          throw new SwitchboardError('unauthorized', 'the token callback returned no token');
        }
        this.#nextReason = 'initial';
        this.#remember(token);
        return token;
      } finally {
        this.#inFlight = null;
      }
    })();
    return this.#inFlight;
  }

  /** Replaces the token (the application's own refresh). */
  set(token) {
    this.#remember(token);
  }

  /** The server refused the token: forget it so the next `get()` asks the callback. */
  invalidate() {
    if (this.canRefresh) {
      this.#nextReason = 'unauthorized';
      this.#token = null;
      this.#expiresAt = null;
      this.#cancel();
    }
  }

  /** Refresh timers run only while the client wants to be connected. */
  start() {
    this.#active = true;
    this.#schedule();
  }

  stop() {
    this.#active = false;
    this.#cancel();
  }

  #remember(token) {
    this.#token = token;
    this.#expiresAt = tokenExpiry(token);
    this.#schedule();
  }

  #schedule(delay) {
    this.#cancel();
    if (!this.#active || !this.canRefresh || this.#expiresAt === null) {
      return;
    }
    const wait = delay ?? refreshDelay(this.#expiresAt, this.#now(), this.#refreshBeforeMs);
    this.#refreshAt = this.#now() + wait;
    this.#timer = this.#timers.setTimeout(() => this.#refresh(), wait);
  }

  async #refresh() {
    this.#timer = null;
    try {
      const token = await this.fetch('refresh');
      this.#onRefreshed(token);
    } catch (error) {
      this.#onError(error);
      // Keep trying while the old token still holds; past `exp` the server closes with 4001 and the reconnect
      // path asks for a token again.
      const left = (this.#expiresAt ?? 0) - this.#now();
      if (this.#active && left > 0) {
        this.#schedule(Math.min(REFRESH_RETRY_MS, Math.max(0, left / 2)));
      }
    }
  }

  #cancel() {
    if (this.#timer !== null) {
      this.#timers.clearTimeout(this.#timer);
      this.#timer = null;
    }
  }
}
