import { Backoff, DEFAULT_BACKOFF, retryWait } from './backoff.js';

/** A connection that stayed up this long proved itself: the next drop starts the backoff from the beginning. */
const STABLE_MS = 5_000;
const UNAUTHORIZED_STOP = 'unauthorized: set a new token with setToken() and call connect()';

/**
 * What the client does after its transport ended by itself: stop, come back at once with a new token, step down a
 * transport, or wait out the backoff (docs/PROTOCOL.md, Recommended client behaviour). It decides; the connection
 * (connection.js) acts, so every rule here can be tested without a transport or a timer.
 *
 * A decision is `{stop: reason}` or `{retryInMs, transport, reason?}`, where `reason: 'fallback'` means the
 * ladder stepped down and `transport` is the new one.
 */
export class ReconnectPolicy {
  #backoff;
  #ladder;
  #now;
  #openedAt = 0;
  #authFailuresInARow = 0;
  #recoveringUntil = 0;
  #fastDropsInARow = 0;
  #recovery;

  /**
   * @param {{backoff: {baseMs: number, maxMs: number}, random: () => number, now: () => number,
   *   ladder: import('./transport-ladder.js').TransportLadder}} deps
   */
  constructor({ backoff, random, now, ladder }) {
    this.#backoff = new Backoff({ ...backoff, random });
    this.#recovery = { maxMs: backoff.recoveryMaxMs ?? DEFAULT_BACKOFF.recoveryMaxMs,
      windowMs: backoff.recoveryWindowMs ?? DEFAULT_BACKOFF.recoveryWindowMs };
    this.#ladder = ladder;
    this.#now = now;
  }

  /** `connect()`, a return to WebSocket, or the browser coming back: the next wait starts from the shortest. */
  reset() {
    this.#backoff.reset();
  }

  /** The transport reached `connected`. */
  opened() {
    this.#authFailuresInARow = 0;
    this.#openedAt = this.#now();
    this.#ladder.opened();
  }

  /** No token could be had (the callback failed): wait like after any failure. */
  afterTokenFailure() {
    return this.#backoff.next();
  }

  /**
   * @param {import('./transports/context.js').CloseInfo} info how the transport ended
   * @param {{canRefreshToken: boolean}} tokens whether a new token can be had without the application
   */
  afterClose({ wasOpen, error }, { canRefreshToken }) {
    const transport = this.#ladder.current;
    if (error?.code === 'forbidden' || error?.code === 'terminated') {
      return { stop: error.code };
    }
    if (error?.code === 'unauthorized') {
      if (!canRefreshToken) {
        return { stop: UNAUTHORIZED_STOP };
      }
      // The first refusal is an expired token: fetch a new one and come back at once. More in a row means the
      // callback hands out tokens the server refuses: back off like any failure.
      this.#authFailuresInARow++;
      return { retryInMs: this.#authFailuresInARow === 1 ? 0 : this.#backoff.next(), transport };
    }
    if (wasOpen) {
      const stable = this.#now() - this.#openedAt >= STABLE_MS;
      this.#fastDropsInARow = stable ? 0 : this.#fastDropsInARow + 1;
      if (stable) {
        this.#backoff.reset();
      }
      // A connection that was up dropped: most likely a restart or a network blip, over in seconds. Retry quickly
      // (jittered under a low ceiling) for a while, so the client is back soon after the node is. A second drop in a
      // row of a connection that had just opened means something beyond a restart: let the delays grow.
      this.#recoveringUntil = this.#fastDropsInARow <= 1 ? this.#now() + this.#recovery.windowMs : 0;
    } else if (this.#ladder.failedToConnect()) {
      this.#backoff.reset();
      return { retryInMs: 0, transport: this.#ladder.current, reason: 'fallback' };
    }
    // 4008 / 429: too many connections or frames from here; a Retry-After of any error is honoured too.
    const cap = this.#now() < this.#recoveringUntil ? this.#recovery.maxMs : Infinity;
    return { retryInMs: retryWait(this.#backoff.next(cap), error), transport };
  }
}
