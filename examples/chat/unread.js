// Unread and mention badges per room, from the user's read positions on the server (docs/PROTOCOL.md, Read
// positions). How far the user has read a room is kept by the server for all of their devices: a room read on the
// phone shows as read on the laptop (the client hears of it in a `positions` frame), and a mention that came while
// the user was away shows when they come back (their subscriptions resume after what they had read).
import { compareEventIds } from '/client/index.js';
import { mentionedIds } from './mentions.js';

export class UnreadBadges {
  #client;
  #me;
  #messagesOf;
  #listeners = new Set();
  /** sessionId -> {next}: a `markRead` under way there, and the furthest eventId asked for meanwhile. */
  #marking = new Map();

  /** `messagesOf(sessionId)` gives the messages of a room this page holds (loaded pages and live ones). */
  constructor(client, me, messagesOf) {
    this.#client = client;
    this.#me = me;
    this.#messagesOf = messagesOf;
    client.on('positions', ({ sessionId }) => this.changed(sessionId));
  }

  /** A message arrived in `sessionId`; `open` says whether that room is on screen. The user's own are read. */
  arrived(sessionId, event, { open }) {
    if (open || event.userId === this.#me) {
      this.viewed(sessionId, event.eventId);
    }
    this.changed(sessionId);
  }

  /** The room is on screen up to `eventId`: the server moves the read position there for every device. */
  viewed(sessionId, eventId) {
    const read = this.#client.readPosition(sessionId);
    if (!eventId || (read !== null && compareEventIds(eventId, read) <= 0)) {
      return;
    }
    const marking = this.#marking.get(sessionId);
    if (marking) {
      // One read at a time per room: a replay of many messages sends one more, for the last of them.
      if (marking.next === null || compareEventIds(eventId, marking.next) > 0) {
        marking.next = eventId;
      }
      return;
    }
    const state = { next: null };
    this.#marking.set(sessionId, state);
    this.#client.markRead(sessionId, eventId)
      .catch(() => {}) // the room stays unread here; the next message or visit sends it again
      .finally(() => {
        this.#marking.delete(sessionId);
        if (state.next !== null) {
          this.viewed(sessionId, state.next);
        }
        this.changed(sessionId);
      });
  }

  /**
   * `{unread, mentions}` of a room: the server's count of events after the read position (as far as this page has
   * received them), and the messages among those this page holds that mention the user.
   */
  counts(sessionId) {
    const read = this.#client.readPosition(sessionId);
    if (read === null) {
      return { unread: 0, mentions: 0 };
    }
    const mentions = this.#messagesOf(sessionId).filter((event) => event.userId !== this.#me
      && compareEventIds(event.eventId, read) > 0
      && mentionedIds(event.payload?.text ?? '').includes(this.#me)).length;
    return { unread: this.#client.unread(sessionId) ?? 0, mentions };
  }

  onChange(listener) {
    this.#listeners.add(listener);
  }

  /** Something a room's counts depend on changed: the badges are drawn again. */
  changed(sessionId) {
    for (const listener of this.#listeners) {
      listener(sessionId);
    }
  }
}
