// Awareness (cursors, selections, names) as signals: never stored, WebSocket only. Local changes are collected and
// sent at most once per `intervalMs` (each signal costs one token of the publish budget, like a publish); the whole
// local state goes out again after every (re)connect, and a peer's states are removed when its user leaves.
import * as awarenessProtocol from 'y-protocols/awareness';
import { fromBase64, toBase64 } from './base64.js';

export const AWARENESS_SIGNAL = 'yjs.awareness';

export class AwarenessRelay {
  #client;
  #sessionId;
  #awareness;
  #intervalMs;
  #changed = new Set();
  #timer = null;
  #lastSentAt = -Infinity;
  /** Awareness clientIDs by the user that sent them, to drop them when that user leaves the session. */
  #clientsByUser = new Map();
  #onAwarenessUpdate;

  constructor({ client, sessionId, awareness, intervalMs = 1000 }) {
    this.#client = client;
    this.#sessionId = sessionId;
    this.#awareness = awareness;
    this.#intervalMs = intervalMs;
    this.#onAwarenessUpdate = ({ added, updated, removed }, origin) => {
      if (origin !== this) {
        [...added, ...updated, ...removed].forEach((id) => this.#changed.add(id));
        this.#schedule();
      }
    };
    awareness.on('update', this.#onAwarenessUpdate);
  }

  /** After a (re)connect: the others may have dropped this client's state meanwhile. */
  announce() {
    this.#changed.add(this.#awareness.clientID);
    this.#schedule();
  }

  receive(signal) {
    const update = fromBase64(signal.payload.update);
    const before = new Set(this.#awareness.getStates().keys());
    awarenessProtocol.applyAwarenessUpdate(this.#awareness, update, this);
    const ids = this.#clientsByUser.get(signal.userId) ?? new Set();
    for (const id of this.#awareness.getStates().keys()) {
      if (!before.has(id)) {
        ids.add(id);
      }
    }
    this.#clientsByUser.set(signal.userId, ids);
  }

  userLeft(userId) {
    const ids = this.#clientsByUser.get(userId);
    if (ids) {
      this.#clientsByUser.delete(userId);
      awarenessProtocol.removeAwarenessStates(this.#awareness, [...ids], this);
    }
  }

  /** Tells the others this client is gone (best effort), then stops. */
  destroy() {
    clearTimeout(this.#timer);
    this.#awareness.off('update', this.#onAwarenessUpdate);
    awarenessProtocol.removeAwarenessStates(this.#awareness, [this.#awareness.clientID], 'local');
    this.#send([this.#awareness.clientID]);
  }

  #schedule() {
    if (this.#timer !== null) {
      return;
    }
    const wait = Math.max(0, this.#lastSentAt + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const ids = [...this.#changed];
      this.#changed.clear();
      this.#send(ids);
    }, wait);
  }

  #send(ids) {
    if (ids.length === 0) {
      return;
    }
    this.#lastSentAt = Date.now();
    const update = awarenessProtocol.encodeAwarenessUpdate(this.#awareness, ids);
    this.#client.signal(this.#sessionId, AWARENESS_SIGNAL, { update: toBase64(update) });
  }
}
