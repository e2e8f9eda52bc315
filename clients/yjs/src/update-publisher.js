// Local updates to the log: one publish in flight; the updates made meanwhile are merged (Y.mergeUpdates) into the
// next, so a fast typist costs one publish per round trip, not one per keystroke. A batch keeps its idempotency key
// until it is stored, so a retry after a lost acknowledgement is stored once. A batch larger than one event (a big
// paste) goes out in parts (chunks.js), paced so that the node's inbound byte limit is never reached.
import * as Y from 'yjs';
import { splitUpdate } from './chunks.js';

export const UPDATE_EVENT = 'yjs.update';

/**
 * The wait between two parts of one batch: 4 parts of about 44 KB a second stay under the node's default inbound
 * limit of 256 KiB a second per user (docs/PROTOCOL.md, Limits), with room for everything else the user sends.
 */
export const PART_GAP_MS = 250;

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
  /** Events stored (each batch, or each part of a large one, counted once whatever its retries). */
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
          this.#batch = this.#nextBatch();
        }
        const stored = await this.#publishParts(this.#batch);
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

  /** The pending updates merged into one batch: one event, or parts `{id, index, count}` sharing the batch's key. */
  #nextBatch() {
    const update = this.#pending.length === 1 ? this.#pending[0] : Y.mergeUpdates(this.#pending);
    this.#pending = [];
    const key = newKey();
    const parts = splitUpdate(update);
    const payloads = parts.length === 1
      ? [{ update: parts[0], origin: this.#origin }]
      : parts.map((data, index) => ({ update: data, origin: this.#origin, part: { id: key, index, count: parts.length } }));
    return { key, payloads, next: 0 };
  }

  /** Publishes the batch's parts not stored yet, in order; false when one failed (the batch resumes from it). */
  async #publishParts(batch) {
    while (batch.next < batch.payloads.length) {
      if (batch.next > 0) {
        await new Promise((done) => setTimeout(done, PART_GAP_MS));
      }
      const key = batch.payloads.length === 1 ? batch.key : `${batch.key}:${batch.next}`;
      if (this.#stopped || !await this.#publish(batch.payloads[batch.next], key)) {
        return false;
      }
      batch.next++;
    }
    return true;
  }

  async #publish(payload, key) {
    try {
      const result = await this.#client.publish(this.#sessionId, UPDATE_EVENT, payload, { idempotencyKey: key });
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
