import { isEventId } from './event-ids.js';
import { SessionState } from './session-state.js';

const SESSION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The sessions the client is subscribed to, in subscription order, each with its resume position and presence. */
export class Subscriptions {
  /** @type {Map<string, SessionState>} */
  #sessions = new Map();

  /**
   * Adds a session (checking its id and start position); returns its state when it is new, or null when it was
   * subscribed already (a repeated subscribe keeps the position it has).
   */
  add(sessionId, fromEventId) {
    if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) {
      throw new TypeError('Switchboard: a sessionId is 1-128 characters of [A-Za-z0-9._:-]');
    }
    if (fromEventId !== undefined && fromEventId !== null && !isEventId(fromEventId)) {
      throw new TypeError('Switchboard: fromEventId must be an eventId (a non-negative integer)');
    }
    if (this.#sessions.has(sessionId)) {
      return null;
    }
    const session = new SessionState(sessionId, fromEventId ?? null);
    this.#sessions.set(sessionId, session);
    return session;
  }

  /** Removes a session; true when it was subscribed. */
  remove(sessionId) {
    return this.#sessions.delete(sessionId);
  }

  /** @returns {SessionState|undefined} */
  get(sessionId) {
    return this.#sessions.get(sessionId);
  }

  get ids() {
    return [...this.#sessions.keys()];
  }

  /** Where each session resumes, for a transport opening a connection. */
  positions() {
    return [...this.#sessions.values()].map((s) => ({ sessionId: s.sessionId, position: s.position }));
  }
}
