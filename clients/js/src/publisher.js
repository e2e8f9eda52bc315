import { Backoff, retryWait } from './backoff.js';
import { errorFromFrame, SwitchboardError } from './errors.js';
import { newIdempotencyKey } from './ids.js';
import { restPublish } from './rest.js';

/** Tells the application that an attempt failed and another follows in `delayMs` (a bug there stops nothing). */
function notifyRetry(onRetry, error, delayMs) {
  if (typeof onRetry !== 'function') {
    return;
  }
  try {
    onRetry({ error, delayMs });
  } catch (failure) {
    (globalThis.reportError ?? console.error)(failure);
  }
}

/**
 * Publishing with acks and retries. Every publish carries an idempotency key, generated once and sent again on
 * every retry, so an attempt whose answer was lost (a dropped socket, a timeout, a node restart) is stored once:
 * the server answers a repeated key with the original eventId (docs/PROTOCOL.md, Guarantees: idempotent publish).
 *
 * An attempt goes over the WebSocket when the client is connected on one (answered by `ack` or `error`), and over
 * `POST /sessions/{S}/events` otherwise; retries may switch between the two.
 */
export class Publisher {
  #pending = new Map();
  #sleepers = new Set();
  #counter = 0;
  #closed = false;
  #deps;

  /**
   * @param {{sendFrame: (frame: object) => boolean, http: object, tokens: import('./token.js').TokenSource,
   *   timers: {setTimeout: Function, clearTimeout: Function}, now: () => number, random: () => number,
   *   ackTimeoutMs: number, publishTimeoutMs: number, backoff: {baseMs: number, maxMs: number}}} deps
   */
  constructor(deps) {
    this.#deps = deps;
  }

  async publish(sessionId, eventType, payload, options = {}) {
    const deps = this.#deps;
    const body = { eventType, payload: payload === undefined ? null : payload };
    body.idempotencyKey = options.idempotencyKey ?? newIdempotencyKey();
    const deadline = deps.now() + (options.timeoutMs ?? deps.publishTimeoutMs);
    const backoff = new Backoff({ ...deps.backoff, random: deps.random });
    let refreshedToken = false;
    for (;;) {
      this.#checkOpen();
      try {
        return await this.#attempt(sessionId, body, Math.max(1, deadline - deps.now()));
      } catch (error) {
        this.#checkOpen();
        const failure = error instanceof SwitchboardError
          ? error
          : new SwitchboardError('internal', String(error?.message ?? error), { cause: error });
        if (failure.code === 'unauthorized' && deps.tokens.canRefresh && !refreshedToken) {
          refreshedToken = true;
          await deps.tokens.fetch('unauthorized');
          continue;
        }
        const wait = retryWait(backoff.next(), failure);
        if (!failure.retryable || deps.now() + wait >= deadline) {
          throw failure;
        }
        notifyRetry(options.onRetry, failure, wait);
        await this.#sleep(wait);
      }
    }
  }

  /** Routes an `ack` frame; true when it answered one of our publishes. */
  onAck(frame) {
    const waiter = this.#pending.get(frame.requestId);
    waiter?.resolve({ eventId: frame.eventId, timestamp: frame.timestamp, duplicate: frame.duplicate === true });
    return waiter !== undefined;
  }

  /** Routes an `error` frame; true when it answered one of our publishes. */
  onError(frame) {
    const waiter = this.#pending.get(frame.requestId);
    waiter?.reject(errorFromFrame(frame, 'publish failed'));
    return waiter !== undefined;
  }

  /** The WebSocket went away: attempts waiting for an ack there are retried (with the same key). */
  disconnected() {
    for (const waiter of [...this.#pending.values()]) {
      waiter.reject(new SwitchboardError('disconnected', 'the connection closed before the ack'));
    }
  }

  /** The client closed: every publish still in progress fails with `closed`. */
  close() {
    this.#closed = true;
    for (const waiter of [...this.#pending.values()]) {
      waiter.reject(new SwitchboardError('closed', 'the client was closed'));
    }
    for (const wake of [...this.#sleepers]) {
      wake();
    }
  }

  async #attempt(sessionId, body, timeoutMs) {
    const deps = this.#deps;
    const requestId = `publish:${++this.#counter}`;
    const answer = new Promise((resolve, reject) => this.#pending.set(requestId, { resolve, reject }));
    answer.catch(() => {}); // settled below or abandoned when the frame could not be sent
    if (!deps.sendFrame({ type: 'publish', requestId, sessionId, ...body })) {
      this.#pending.delete(requestId);
      return restPublish(deps.http, await deps.tokens.get(), sessionId, body, Math.min(timeoutMs, deps.ackTimeoutMs));
    }
    const timer = deps.timers.setTimeout(() => this.#pending.get(requestId)
      ?.reject(new SwitchboardError('timeout', 'no ack in time', { requestId })), Math.min(timeoutMs, deps.ackTimeoutMs));
    try {
      return await answer;
    } finally {
      deps.timers.clearTimeout(timer);
      this.#pending.delete(requestId);
    }
  }

  #sleep(ms) {
    return new Promise((resolve) => {
      const wake = () => {
        this.#deps.timers.clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = this.#deps.timers.setTimeout(wake, ms);
      this.#sleepers.add(wake);
    });
  }

  #checkOpen() {
    if (this.#closed) {
      throw new SwitchboardError('closed', 'the client was closed');
    }
  }
}
