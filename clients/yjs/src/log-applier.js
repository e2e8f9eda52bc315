// Stored events of a document to its Y.Doc: updates (whole, or joined from their parts), and snapshots, which only a
// loading document applies (a live one already holds everything a snapshot can contain). Own updates are skipped:
// the document made them.
import * as Y from 'yjs';
import { fromBase64 } from './base64.js';
import { ChunkAssembler } from './chunks.js';
import { UPDATE_EVENT } from './update-publisher.js';

/**
 * The server's reserved snapshot type (docs/PROTOCOL.md, Snapshots): retention keeps a session's newest one and every
 * event after the position its payload's `after` names. This provider's are `{format: 'yjs', after, update}` or, when
 * larger than one event, `{format: 'yjs', after, id, count}` after `count` parts of type SNAPSHOT_PART_EVENT.
 */
export const SNAPSHOT_EVENT = 'sb.snapshot';
/** One part of a large snapshot: `{id, index, count, data}` (base64), published before its SNAPSHOT_EVENT. */
export const SNAPSHOT_PART_EVENT = 'yjs.snapshot.part';

/** Whether `event` is a snapshot this provider can load. */
export function isYjsSnapshot(event) {
  return event.eventType === SNAPSHOT_EVENT && event.payload?.format === 'yjs';
}

export class LogApplier {
  #doc;
  #origin;
  #applyOrigin;
  #updateParts = new ChunkAssembler();
  #snapshotParts = new ChunkAssembler();
  #snapshots = new Map();
  /** While loading: the updates read, applied together by finishLoading (one merge instead of one apply each). */
  #loadedUpdates = [];

  /**
   * @param doc the document
   * @param origin this provider's `origin` (its own updates carry it)
   * @param applyOrigin the transaction origin of applied updates (the provider, so it does not publish them again)
   */
  constructor({ doc, origin, applyOrigin }) {
    this.#doc = doc;
    this.#origin = origin;
    this.#applyOrigin = applyOrigin;
  }

  /**
   * Applies one stored event, in log order. Returns what it was: 'own' (an update of this document), 'update' (an
   * update, or a part of one, of another), 'snapshot' (a snapshot or a part of one), or null (another type).
   *
   * @param loading true while loading: updates and snapshots are collected for finishLoading; otherwise updates are
   *   applied at once and snapshots only recognised
   */
  apply(event, { loading = false } = {}) {
    const payload = event.payload ?? {};
    if (event.eventType === UPDATE_EVENT) {
      if (payload.origin === this.#origin) {
        return 'own';
      }
      const bytes = payload.part
        ? this.#updateParts.add(payload.part.id, payload.part.index, payload.part.count, payload.update, event.eventId)
        : fromBase64(payload.update);
      if (bytes) {
        this.#applyOrCollect(bytes, loading);
      }
      return 'update';
    }
    if (event.eventType === SNAPSHOT_PART_EVENT) {
      if (loading) {
        const bytes = this.#snapshotParts.add(payload.id, payload.index, payload.count, payload.data, event.eventId);
        if (bytes) {
          this.#snapshots.set(payload.id, bytes);
        }
      }
      return 'snapshot';
    }
    if (isYjsSnapshot(event)) {
      if (loading) {
        const bytes = payload.update !== undefined ? fromBase64(payload.update) : this.#snapshots.get(payload.id);
        if (bytes) {
          this.#applyOrCollect(bytes, true);
        }
      }
      this.#snapshots.clear();
      this.#snapshotParts.clear();
      return 'snapshot';
    }
    return null;
  }

  /**
   * Applies what a load collected, merged into one update: applying thousands of small updates one by one to a
   * document edited by many at once costs far more than integrating their merge once.
   */
  finishLoading() {
    const updates = this.#loadedUpdates.splice(0);
    if (updates.length > 0) {
      Y.applyUpdate(this.#doc, updates.length === 1 ? updates[0] : Y.mergeUpdates(updates), this.#applyOrigin);
    }
  }

  #applyOrCollect(bytes, loading) {
    if (loading) {
      this.#loadedUpdates.push(bytes);
    } else {
      Y.applyUpdate(this.#doc, bytes, this.#applyOrigin);
    }
  }

  /** The eventId of the oldest part of another's update still waiting for its other parts, or null. */
  oldestWaitingPart() {
    return this.#updateParts.oldestWaiting();
  }
}
