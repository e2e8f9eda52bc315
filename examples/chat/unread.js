// Unread and mention badges per room.
//
// INTEGRATION POINT (issue #21, "notifications that know what was read"): the server-side read positions and the
// client's `markRead` / unread counts are built separately. Until they land, the counts here are this tab's own
// (messages that arrived while another room was open) and are lost on reload. Once the client has `markRead`, it is
// called whenever a room is viewed, so the position is kept on the server; the lead replaces `#local` by the
// client's unread counts (and their mentions) where marked below.

export class UnreadBadges {
  #client;
  #me;
  #local = new Map(); // sessionId -> {unread, mentions}
  #listeners = new Set();

  constructor(client, me) {
    this.#client = client;
    this.#me = me;
  }

  /** A live message arrived in `sessionId`; `open` says whether that room is being viewed. */
  arrived(sessionId, event, { open, mentionsMe }) {
    if (event.userId === this.#me) {
      return;
    }
    if (open) {
      this.viewed(sessionId, event.eventId);
      return;
    }
    const counts = this.#local.get(sessionId) ?? { unread: 0, mentions: 0 };
    counts.unread++;
    if (mentionsMe) {
      counts.mentions++;
    }
    this.#local.set(sessionId, counts);
    this.#changed(sessionId);
  }

  /** The room is on screen up to `eventId`: everything in it is read. */
  viewed(sessionId, eventId) {
    if (eventId && typeof this.#client.markRead === 'function') {
      // The server keeps the read position for every device of this user (once the client offers it).
      Promise.resolve(this.#client.markRead(sessionId, eventId)).catch(() => {});
    }
    if (this.#local.delete(sessionId)) {
      this.#changed(sessionId);
    }
  }

  /** `{unread, mentions}` of a room. INTEGRATION POINT: read the client's counts here once it has them. */
  counts(sessionId) {
    return this.#local.get(sessionId) ?? { unread: 0, mentions: 0 };
  }

  onChange(listener) {
    this.#listeners.add(listener);
  }

  #changed(sessionId) {
    for (const listener of this.#listeners) {
      listener(sessionId);
    }
  }
}
