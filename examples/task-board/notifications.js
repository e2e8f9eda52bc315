// The user's notifications: their personal session `user:<sub>`, where a teammate's page leaves a `task.assigned`
// event when it assigns them a task. Stored by the server, so they wait while the user is away; how far the user
// has read them is the server's read position in that session (docs/PROTOCOL.md, Read positions), the same on
// every device: opening the panel on the phone marks them read on the laptop too (a `positions` frame tells it).
import { compareEventIds } from '/client/index.js';
import { clockTime, el, replaceChildren } from '../shared/dom.js';

export class Notifications {
  #client;
  #sessionId;
  #items = [];
  #onChange;

  constructor(client, me, onChange) {
    this.#client = client;
    this.#sessionId = `user:${me}`;
    this.#onChange = onChange;
    client.on('positions', ({ sessionId }) => sessionId === this.#sessionId && onChange());
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

  /** The server's read position ("0" until the user has read any, or before the subscription says). */
  readUpTo() {
    return this.#client.readPosition(this.#sessionId) ?? '0';
  }

  get unread() {
    return this.#items.filter((item) => compareEventIds(item.eventId, this.readUpTo()) > 0).length;
  }

  /** The user looked at the notifications: all of them are read, for every device of theirs. */
  markAllRead(onError) {
    const last = this.#items.at(-1)?.eventId;
    if (!last || compareEventIds(last, this.readUpTo()) <= 0) {
      return;
    }
    this.#client.markRead(this.#sessionId, last).then(() => this.#onChange(), onError);
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
