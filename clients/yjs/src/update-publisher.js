// Local updates to the log: one publish in flight; the updates made meanwhile are merged (Y.mergeUpdates) into the
// next, so a fast typist costs one publish per round trip, not one per keystroke. A batch keeps its idempotency key
// until it is stored, so a retry after a lost acknowledgement is stored once.
import * as Y from 'yjs';
import { toBase64 } from './base64.js';

export const UPDATE_EVENT = 'yjs.update';

function newKey() {
  return globalThis.crypto.randomUUID();
}

export class UpdatePublisher {
  #client;
  #sessionId;
  #origin;
  #retryMs;
  #onError;
  #pending = [];
  #batch = null;
  #running = false;
  #stopped = false;
  #retryTimer = null;
  #idleWaiters = [];
  /** Publishes stored (each batch counted once, whatever its retries). */
  published = 0;
  /** Of those, how many the server already had (a retried batch whose first acknowledgement was lost). */
  duplicates = 0;

  constructor({ client, sessionId, origin, retryMs = 1000, onError = () => {} }) {
    this.#client = client;
    this.#sessionId = sessionId;
    this.#origin = origin;
    this.#retryMs = retryMs;
    this.#onError = onError;
  }

  /** True while an update has not been stored yet. */
  get busy() {
    return this.#batch !== null || this.#pending.length > 0;
  }

  add(update) {
    this.#pending.push(update);
    this.#run();
  }

  /** Resolves once every update added so far is stored. */
  idle() {
    return this.busy ? new Promise((done) => this.#idleWaiters.push(done)) : Promise.resolve();
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
  }

  async #run() {
    if (this.#running || this.#stopped) {
      return;
    }
    this.#running = true;
    try {
      while (!this.#stopped && this.busy) {
        if (this.#batch === null) {
          const update = this.#pending.length === 1 ? this.#pending[0] : Y.mergeUpdates(this.#pending);
          this.#pending = [];
          this.#batch = { key: newKey(), payload: { update: toBase64(update), origin: this.#origin } };
        }
        const stored = await this.#publish(this.#batch);
        if (!stored) {
          this.#retryTimer = setTimeout(() => this.#run(), this.#retryMs);
          return;
        }
        this.#batch = null;
      }
      this.#idleWaiters.splice(0).forEach((done) => done());
    } finally {
      this.#running = false;
    }
  }

  async #publish(batch) {
    try {
      const result = await this.#client.publish(this.#sessionId, UPDATE_EVENT, batch.payload,
        { idempotencyKey: batch.key });
      this.published++;
      if (result.duplicate) {
        this.duplicates++;
      }
      return true;
    } catch (error) {
      if (!this.#stopped) {
        this.#onError(error);
      }
      return false;
    }
  }
}
