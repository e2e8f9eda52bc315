// The user's notifications: their personal session `user:<sub>`, where a teammate's page leaves a `task.assigned`
// event when it assigns them a task. Stored by the server, so they wait while the user is away.
//
// INTEGRATION POINT (issue #21, "notifications that know what was read"): which notifications are read is kept
// here per browser (localStorage) until the server-side read positions land. Once the client has `markRead`, it is
// called when the panel is opened, and the lead replaces `readUpTo()` by the client's read position (and the count
// by its unread count) where marked below, so a second device agrees.
import { compareEventIds } from '/client/index.js';
import { clockTime, el, replaceChildren } from '../shared/dom.js';

export class Notifications {
  #client;
  #sessionId;
  #items = [];
  #storageKey;
  #onChange;

  constructor(client, me, onChange) {
    this.#client = client;
    this.#sessionId = `user:${me}`;
    this.#storageKey = `switchboard-examples:read:${this.#sessionId}`;
    this.#onChange = onChange;
  }

  get sessionId() {
    return this.#sessionId;
  }

  /** An event of the personal session. */
  add(event) {
    if (event.eventType === 'task.assigned' && typeof event.payload?.title === 'string') {
      this.#items.push(event);
      this.#onChange();
    }
  }

  /** The position read up to. INTEGRATION POINT: the client's server-side read position, once it has one. */
  readUpTo() {
    return localStorage.getItem(this.#storageKey) ?? '0';
  }

  get unread() {
    return this.#items.filter((item) => compareEventIds(item.eventId, this.readUpTo()) > 0).length;
  }

  /** The user looked at the notifications: all of them are read. */
  markAllRead() {
    const last = this.#items.at(-1)?.eventId;
    if (!last) {
      return;
    }
    localStorage.setItem(this.#storageKey, last);
    if (typeof this.#client.markRead === 'function') {
      Promise.resolve(this.#client.markRead(this.#sessionId, last)).catch(() => {});
    }
    this.#onChange();
  }

  render(list) {
    const read = this.readUpTo();
    const items = [...this.#items].reverse().map((event) => {
      const { title, byName, board } = event.payload;
      const by = typeof byName === 'string' ? byName : event.userId;
      return el('li', { class: compareEventIds(event.eventId, read) > 0 ? 'unread' : '', data: { eventId: event.eventId } },
        [`${by} assigned you “`, el('span', { class: 'task-title', text: title }),
          `” on ${typeof board === 'string' ? board : 'a board'} · ${clockTime(event.timestamp)}`]);
    });
    replaceChildren(list, items.length ? items : [el('li', { class: 'empty', text: 'Nothing yet.' })]);
  }
}
