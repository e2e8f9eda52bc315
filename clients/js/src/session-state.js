import { compareEventIds } from './event-ids.js';

/**
 * What the client knows about one subscribed session: the position to resume from and who is present.
 *
 * The position is the eventId of the last event handed to the application (or the head a `replayed` / `reset`
 * reported). Events arrive in eventId order on every transport, so "at or below the position" is exactly "already
 * delivered": that one comparison is the dedupe by (sessionId, eventId) that keeps a replay overlap after a
 * reconnect, or an event seen on two transports during a switch, from reaching the application twice.
 */
export class SessionState {
  /** @type {string|null} */
  position;
  /** @type {Map<string, object>} userId -> user */
  presence = new Map();
  /** The user's read position in the session as last reported by the server (`replayed`, a `read`), or null. */
  readEventId = null;
  /** The user's delivered position when the subscription last started, or null before a `replayed` said. */
  deliveredEventId = null;

  /**
   * @param {string} sessionId
   * @param {string|null} fromEventId where to start: null = live from now, "0" = the whole retained history
   */
  constructor(sessionId, fromEventId = null) {
    this.sessionId = sessionId;
    this.position = fromEventId === null || fromEventId === undefined ? null : String(fromEventId);
  }

  /** Takes an event frame: true when it is new and advances the position, false for a duplicate. */
  accept(event) {
    if (this.position !== null && compareEventIds(event.eventId, this.position) <= 0) {
      return false;
    }
    this.position = String(event.eventId);
    return true;
  }

  /** A `replayed` frame: live delivery continues after `lastEventId` (our position if we gave one). */
  replayed(lastEventId) {
    if (this.position === null || compareEventIds(lastEventId, this.position) > 0) {
      this.position = String(lastEventId);
    }
  }

  /** The user's positions as the server reported them; a read position only moves forward. */
  setPositions({ readEventId, deliveredEventId }) {
    const further = this.readEventId === null || compareEventIds(readEventId, this.readEventId) > 0;
    if (readEventId !== undefined && further) {
      this.readEventId = String(readEventId);
    }
    if (deliveredEventId !== undefined) {
      this.deliveredEventId = String(deliveredEventId);
    }
  }

  /** Events after the read position up to the last one delivered here, or null while either is unknown. */
  get unread() {
    if (this.readEventId === null || this.position === null) {
      return null;
    }
    const count = BigInt(this.position) - BigInt(this.readEventId);
    return count > 0n ? Number(count) : 0;
  }

  /** What the `positions` listener reports for this session. */
  get positions() {
    return { sessionId: this.sessionId, lastEventId: this.position, readEventId: this.readEventId,
      deliveredEventId: this.deliveredEventId, unread: this.unread };
  }

  /** A `reset`: the old position cannot be served; events continue after `lastEventId` (possibly lower). */
  reset(lastEventId) {
    this.position = String(lastEventId);
  }

  /** Every present user, counted once; presence lists come in pages, so it may exceed `users.length`. */
  count = 0;

  /**
   * Whether `presence` follows the session's joins and leaves: false once a `presence.diff` carried counts only (the
   * session is above the server's SB_PRESENCE_BROADCAST_MAX), until a diff names users again (and the list is read
   * again) or a `presence.state` arrives.
   */
  listed = true;

  /**
   * How many anonymous subscribers are present by actor type (`{display: 2}`), as the latest presence frame said:
   * the server sends totals, not changes, so each frame's replace the last.
   */
  anonymous = {};

  /**
   * A `presence.state` (or REST answer): its users (the first page for a big session), the total count, and the
   * anonymous subscribers by actor type.
   */
  setPresence(users, count, anonymous) {
    this.presence = new Map((users ?? []).map((user) => [user.userId, user]));
    this.count = typeof count === 'number' ? count : this.presence.size;
    this.#takeAnonymous(anonymous);
    this.listed = true;
  }

  #takeAnonymous(anonymous) {
    if (anonymous !== null && typeof anonymous === 'object' && !Array.isArray(anonymous)) {
      this.anonymous = { ...anonymous };
    }
  }

  /**
   * A `presence.diff`: its leaves and joins are applied (a join of a user already listed updates them) and its count
   * taken. A diff with counts only empties the list, which no longer follows the session. Returns whether the list
   * must be read again: a diff names users after counts-only ones, so the users present throughout are missing.
   */
  applyDiff(frame) {
    if (typeof frame.count === 'number') {
      this.count = frame.count;
    }
    this.#takeAnonymous(frame.anonymous);
    if (!Array.isArray(frame.joins) || !Array.isArray(frame.leaves)) {
      this.presence.clear();
      this.listed = false;
      return false;
    }
    for (const user of frame.leaves) {
      this.presence.delete(user?.userId);
    }
    for (const user of frame.joins) {
      if (typeof user?.userId === 'string') {
        this.presence.set(user.userId, user);
      }
    }
    const stale = !this.listed;
    this.listed = true;
    return stale;
  }

  get users() {
    return [...this.presence.values()];
  }
}
