// One room's messages: the last page when the room opens, earlier pages as the user scrolls back (REST history,
// paged by eventId), and live messages as they arrive; kept by eventId, so a message never shows twice.
import { compareEventIds } from '/client/index.js';

export const PAGE_SIZE = 30;

export class RoomHistory {
  #client;
  #sessionId;
  /** eventId -> message event */
  #messages = new Map();
  /** The lowest eventId the room's pages have reached, or null before the first page. */
  #oldest = null;
  #loading = null;
  complete = false;

  constructor(client, sessionId) {
    this.#client = client;
    this.#sessionId = sessionId;
  }

  /** The messages, oldest first. */
  get messages() {
    return [...this.#messages.values()].sort((a, b) => compareEventIds(a.eventId, b.eventId));
  }

  get newestEventId() {
    return this.messages.at(-1)?.eventId ?? null;
  }

  /** A live event. */
  add(event) {
    if (event.eventType === 'message' && typeof event.payload?.text === 'string') {
      this.#messages.set(event.eventId, event);
    }
  }

  /**
   * The subscription is live after `head`: read the page that ends there (once). Live events after `head` arrive
   * by the subscription; together they leave no gap.
   */
  start(head) {
    if (this.#oldest !== null || this.#loading) {
      return this.#loading ?? Promise.resolve(false);
    }
    return this.#page(String(BigInt(head) + 1n));
  }

  /** The page before the oldest message shown; resolves true when it added messages. */
  loadEarlier() {
    if (this.complete || this.#loading || this.#oldest === null) {
      return this.#loading ?? Promise.resolve(false);
    }
    return this.#page(this.#oldest);
  }

  #page(before) {
    this.#loading = (async () => {
      try {
        const page = await this.#client.history(this.#sessionId, { before, limit: PAGE_SIZE });
        for (const event of page.events) {
          this.add(event);
        }
        const first = page.events[0]?.eventId;
        this.#oldest = first ?? before;
        // A short page, or one that reached eventId 1, is the start of what the server keeps.
        this.complete = page.events.length < PAGE_SIZE || first === '1' || page.reset !== undefined;
        return page.events.length > 0;
      } finally {
        this.#loading = null;
      }
    })();
    return this.#loading;
  }
}
