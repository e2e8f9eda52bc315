// Binary updates larger than one event can carry. A publish frame may be at most 64 KiB (docs/PROTOCOL.md, Limits),
// so an update or snapshot over CHUNK_BYTES travels as several events, each with one base64 part and
// `{id, index, count}`; a reader joins the parts of one id once it has all of them. Parts are published one after
// another, so in the log they are in index order, possibly with other events between them.
import { fromBase64, toBase64 } from './base64.js';

/** Raw bytes per part: 32 KiB is about 43.7 KB of base64, well inside the frame limit with the JSON around it. */
export const CHUNK_BYTES = 32 * 1024;

/** The base64 parts of `bytes`: one when it fits a single event. */
export function splitUpdate(bytes, chunkBytes = CHUNK_BYTES) {
  if (bytes.length <= chunkBytes) {
    return [toBase64(bytes)];
  }
  const parts = [];
  for (let i = 0; i < bytes.length; i += chunkBytes) {
    parts.push(toBase64(bytes.subarray(i, i + chunkBytes)));
  }
  return parts;
}

/** Parts received so far, by id, until each id is complete; remembers the eventId of each id's first part. */
export class ChunkAssembler {
  #groups = new Map();

  /**
   * Adds part `index` of `count` of `id` (stored as `eventId`); returns the joined bytes when this part completes the
   * id, else null.
   */
  add(id, index, count, data, eventId) {
    let group = this.#groups.get(id);
    if (!group) {
      group = { parts: new Array(count), received: 0, firstEventId: eventId };
      this.#groups.set(id, group);
    }
    if (group.parts[index] === undefined) {
      group.parts[index] = fromBase64(data);
      group.received++;
    }
    if (group.received < count) {
      return null;
    }
    this.#groups.delete(id);
    const bytes = new Uint8Array(group.parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of group.parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    return bytes;
  }

  /** The eventId of the oldest part still waiting for the rest of its id, or null. */
  oldestWaiting() {
    let oldest = null;
    for (const { firstEventId } of this.#groups.values()) {
      if (oldest === null || BigInt(firstEventId) < BigInt(oldest)) {
        oldest = firstEventId;
      }
    }
    return oldest;
  }

  clear() {
    this.#groups.clear();
  }
}
