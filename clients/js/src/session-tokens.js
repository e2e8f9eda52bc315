import { SwitchboardError } from './errors.js';
import { DEFAULT_REFRESH_BEFORE_MS, refreshDelay, tokenExpiry } from './token.js';

/** After a failed refresh, try again this soon (never later than a little before `exp`). */
const REFRESH_RETRY_MS = 5_000;

/**
 * The session tokens of the client's sessions (docs/PROTOCOL.md, Per-session tokens): for each session subscribed with
 * a `sessionToken` (a string, or a callback `({sessionId, reason}) => jwt`), the token in force. A callback is asked
 * before the session is subscribed, before a connection (or reconnection) subscribes it again when its token is
 * missing or past `exp`, and ahead of `exp` while connected (as the connection token is refreshed, token.js); each
 * fresh token is handed to `onRefreshed`, which gives it to the transport in place.
 */
export class SessionTokens {
  /** @type {Map<string, {provider: Function|null, token: string|null, expiresAt: number|null, timer: unknown,
   *   inFlight: Promise<string>|null}>} */
  #entries = new Map();
  #now;
  #timers;
  #refreshBeforeMs;
  #onRefreshed;
  #onError;
  #active = false;

  /**
   * @param {{now: () => number, timers: {setTimeout: Function, clearTimeout: Function}, refreshBeforeMs?: number,
   *   onRefreshed: (sessionId: string, token: string) => void, onError: (error: Error) => void}} deps
   */
  constructor({ now, timers, refreshBeforeMs, onRefreshed, onError }) {
    this.#now = now;
    this.#timers = timers;
    this.#refreshBeforeMs = refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
    this.#onRefreshed = onRefreshed;
    this.#onError = onError;
  }

  /** Gives a session its token or token callback, replacing any before. */
  set(sessionId, tokenOrProvider) {
    if (typeof tokenOrProvider !== 'function' && (typeof tokenOrProvider !== 'string' || tokenOrProvider === '')) {
      throw new TypeError('Switchboard: sessionToken must be a token or a function that returns one');
    }
    this.delete(sessionId);
    const entry = { provider: typeof tokenOrProvider === 'function' ? tokenOrProvider : null, token: null,
      expiresAt: null, timer: null, inFlight: null };
    this.#entries.set(sessionId, entry);
    if (entry.provider === null) {
      this.#remember(sessionId, entry, tokenOrProvider);
    }
  }

  /** Whether the session has a session token (or a callback for one). */
  has(sessionId) {
    return this.#entries.has(sessionId);
  }

  /** The session's token in force, or null: what a transport puts in its subscribe frame or request. */
  current(sessionId) {
    return this.#entries.get(sessionId)?.token ?? null;
  }

  /** The session was unsubscribed: its token is forgotten and no longer refreshed. */
  delete(sessionId) {
    const entry = this.#entries.get(sessionId);
    if (entry) {
      this.#cancel(entry);
      this.#entries.delete(sessionId);
    }
  }

  /** A usable token of the session: the one in force unless missing or past `exp`, else one from its callback. */
  async get(sessionId, reason = 'subscribe') {
    const entry = this.#entries.get(sessionId);
    if (!entry) {
      return null;
    }
    const expired = entry.expiresAt !== null && entry.expiresAt <= this.#now();
    if (entry.token && !(expired && entry.provider)) {
      return entry.token;
    }
    return this.#fetch(sessionId, entry, reason);
  }

  /**
   * Makes sure every one of `sessionIds` that has a session token has a usable one, before a connection subscribes
   * them; a callback that fails is reported through `onError` (the server then refuses that session alone).
   */
  async ready(sessionIds) {
    await Promise.all(sessionIds.filter((id) => this.#entries.has(id))
      .map((id) => this.get(id, 'connect').catch((error) => this.#onError(error))));
  }

  /** The server ended a session because its token expired: forget the token, so `get()` asks the callback. */
  expired(sessionId) {
    const entry = this.#entries.get(sessionId);
    if (!entry?.provider) {
      return false;
    }
    this.#cancel(entry);
    entry.token = null;
    entry.expiresAt = null;
    return true;
  }

  /** Refresh timers run only while the client wants to be connected. */
  start() {
    this.#active = true;
    for (const [sessionId, entry] of this.#entries) {
      this.#schedule(sessionId, entry);
    }
  }

  stop() {
    this.#active = false;
    for (const entry of this.#entries.values()) {
      this.#cancel(entry);
    }
  }

  #fetch(sessionId, entry, reason) {
    if (!entry.provider) {
      return Promise.reject(new SwitchboardError('unauthorized', `the session token of ${sessionId} expired`));
    }
    if (!entry.inFlight) {
      const call = (async () => {
        const token = await entry.provider({ sessionId, reason });
        if (typeof token !== 'string' || token === '') {
          throw new SwitchboardError('unauthorized', `the sessionToken callback of ${sessionId} returned no token`);
        }
        if (this.#entries.get(sessionId) === entry) {
          this.#remember(sessionId, entry, token);
        }
        return token;
      })();
      // Cleared once settled, not in a `finally` inside the call: a callback that throws at once would settle the call
      // before it is stored, and the stale failure would be shared by every later caller.
      entry.inFlight = call;
      const clear = () => {
        if (entry.inFlight === call) {
          entry.inFlight = null;
        }
      };
      call.then(clear, clear);
    }
    return entry.inFlight;
  }

  #remember(sessionId, entry, token) {
    entry.token = token;
    entry.expiresAt = tokenExpiry(token);
    this.#schedule(sessionId, entry);
  }

  #schedule(sessionId, entry, delay) {
    this.#cancel(entry);
    if (!this.#active || !entry.provider || entry.expiresAt === null) {
      return;
    }
    const wait = delay ?? refreshDelay(entry.expiresAt, this.#now(), this.#refreshBeforeMs);
    entry.timer = this.#timers.setTimeout(() => this.#refresh(sessionId, entry), wait);
  }

  async #refresh(sessionId, entry) {
    entry.timer = null;
    try {
      const token = await this.#fetch(sessionId, entry, 'refresh');
      if (this.#entries.get(sessionId) === entry) {
        this.#onRefreshed(sessionId, token);
      }
    } catch (error) {
      this.#onError(error);
      const left = (entry.expiresAt ?? 0) - this.#now();
      if (this.#active && left > 0 && this.#entries.get(sessionId) === entry) {
        this.#schedule(sessionId, entry, Math.min(REFRESH_RETRY_MS, Math.max(0, left / 2)));
      }
    }
  }

  #cancel(entry) {
    if (entry.timer !== null) {
      this.#timers.clearTimeout(entry.timer);
      entry.timer = null;
    }
  }
}
