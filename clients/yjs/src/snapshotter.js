// Compaction: a provider publishes its document's whole state as a snapshot once the log since the newest snapshot
// has grown past a threshold, or once editing has paused for a while, so a new client loads that snapshot and the
// events after it (document-loader.js) instead of the whole history, and retention keeps what the snapshot needs.
//
// Every provider of a document counts, so each waits for a threshold of its own (the interval plus a part of it
// chosen by its clientID): the first to reach it publishes, and the others see its snapshot and start counting again.
import * as Y from 'yjs';
import { splitUpdate } from './chunks.js';
import { SNAPSHOT_EVENT, SNAPSHOT_PART_EVENT } from './log-applier.js';
import { PART_GAP_MS } from './update-publisher.js';

export class Snapshotter {
  #client;
  #sessionId;
  #doc;
  #covered;
  #retryMs;
  #idleMs;
  #every;
  #threshold;
  #onError;
  #idleTimer = null;
  #running = null;
  #stopped = false;
  /** Stored events since the newest snapshot, as far as this provider has read. */
  sinceSnapshot = 0;
  /** Snapshots this provider has stored. */
  published = 0;

  /**
   * @param every     the snapshot interval in events
   * @param idleMs    after this long (to twice it, by clientID) without a stored event, a log that grew since the
   *                  newest snapshot is compacted; 0 turns that off
   * @param covered   the position the document holds everything up to (a string eventId), or null while unknown
   */
  constructor({ client, sessionId, doc, every, idleMs, retryMs, covered, onError }) {
    this.#client = client;
    this.#sessionId = sessionId;
    this.#doc = doc;
    this.#covered = covered;
    this.#retryMs = retryMs;
    this.#idleMs = idleMs * (1 + (doc.clientID % 1000) / 1000);
    this.#every = every;
    this.#threshold = every + (doc.clientID % every);
    this.#onError = onError;
  }

  /**
   * After a load: `count` events follow the newest snapshot. Counted as at most one interval, so that the editors
   * who open a long uncompacted log together still reach their thresholds one after another, not all at once.
   */
  loaded(count) {
    this.sinceSnapshot = Math.min(count, this.#every);
    this.armIdle();
  }

  /** One stored event read, of the kind LogApplier reported ('snapshot' for a snapshot's part too). */
  observe(kind) {
    if (kind === 'snapshot') {
      this.sinceSnapshot = 0;
    } else {
      this.sinceSnapshot++;
    }
    if (this.sinceSnapshot >= this.#threshold) {
      this.compact();
    } else {
      this.armIdle();
    }
  }

  /** (Re)starts the wait for a pause in editing. */
  armIdle() {
    clearTimeout(this.#idleTimer);
    if (this.#idleMs > 0 && !this.#stopped) {
      this.#idleTimer = setTimeout(() => this.sinceSnapshot > 0 && this.compact(), this.#idleMs);
    }
  }

  /** Publishes a snapshot of the document now (unless one is under way); resolves once it is stored. */
  compact() {
    if (this.#running === null && !this.#stopped) {
      this.#running = this.#publishSnapshot().finally(() => {
        this.#running = null;
      });
    }
    return this.#running ?? Promise.resolve();
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#idleTimer);
  }

  async #publishSnapshot() {
    const after = this.#covered();
    if (after === null) {
      return;
    }
    clearTimeout(this.#idleTimer);
    this.sinceSnapshot = 0;
    // The state is taken after `after` was: it holds at least everything up to it.
    const parts = splitUpdate(Y.encodeStateAsUpdate(this.#doc));
    const id = globalThis.crypto.randomUUID();
    if (parts.length === 1) {
      await this.#publish(SNAPSHOT_EVENT, { format: 'yjs', after, update: parts[0] }, id);
    } else {
      for (let index = 0; index < parts.length; index++) {
        await this.#publish(SNAPSHOT_PART_EVENT, { id, index, count: parts.length, data: parts[index] }, `${id}:${index}`);
        await new Promise((done) => setTimeout(done, PART_GAP_MS));
      }
      await this.#publish(SNAPSHOT_EVENT, { format: 'yjs', after, id, count: parts.length }, id);
    }
    if (!this.#stopped) {
      this.published++;
    }
  }

  /** Publishes with the given idempotency key until stored (or stopped), waiting retryMs after each failure. */
  async #publish(eventType, payload, key) {
    while (!this.#stopped) {
      try {
        await this.#client.publish(this.#sessionId, eventType, payload, { idempotencyKey: key });
        return;
      } catch (error) {
        if (this.#stopped) {
          return;
        }
        this.#onError(error);
        await new Promise((done) => setTimeout(done, this.#retryMs));
      }
    }
  }
}
