import { SwitchboardError, errorFromFrame } from './errors.js';
import { restMarkRead } from './rest.js';

/**
 * Moving the user's read positions (docs/PROTOCOL.md, Read positions): a `read` frame answered by `positions` when
 * the client is on a WebSocket, `POST /me/sessions/{S}/read` otherwise, or when the frame gets no answer. A read
 * position only moves forward on the server, so sending it again is harmless.
 */
export class ReadMarks {
  #pending = new Map();
  #counter = 0;
  #deps;

  /**
   * @param {{sendFrame: (frame: object) => boolean, http: object, tokens: import('./token.js').TokenSource,
   *   timers: {setTimeout: Function, clearTimeout: Function}, ackTimeoutMs: number}} deps
   */
  constructor(deps) {
    this.#deps = deps;
  }

  /** Resolves with the positions in force after the move: `{sessionId, lastEventId, deliveredEventId, ...}`. */
  async markRead(sessionId, eventId) {
    const deps = this.#deps;
    const requestId = `read:${++this.#counter}`;
    const answer = new Promise((resolve, reject) => this.#pending.set(requestId, { resolve, reject }));
    answer.catch(() => {}); // settled below, or abandoned when the frame could not be sent
    if (deps.sendFrame({ type: 'read', requestId, sessionId, eventId: String(eventId) })) {
      const timer = deps.timers.setTimeout(() => this.#pending.get(requestId)
        ?.reject(new SwitchboardError('timeout', 'no answer to read in time', { requestId })), deps.ackTimeoutMs);
      try {
        return await answer;
      } catch (error) {
        if (error.code !== 'timeout' && error.code !== 'disconnected') {
          throw error;
        }
      } finally {
        deps.timers.clearTimeout(timer);
        this.#pending.delete(requestId);
      }
    }
    this.#pending.delete(requestId);
    return restMarkRead(deps.http, await deps.tokens.get(), sessionId, String(eventId), deps.ackTimeoutMs);
  }

  /** Routes a `positions` frame; true when it answered one of our reads. */
  onPositions(frame) {
    const waiter = this.#pending.get(frame.requestId);
    if (waiter) {
      const { type, requestId, ...positions } = frame;
      waiter.resolve(positions);
    }
    return waiter !== undefined;
  }

  /** Routes an `error` frame; true when it answered one of our reads. */
  onError(frame) {
    const waiter = this.#pending.get(frame.requestId);
    waiter?.reject(errorFromFrame(frame, 'read failed'));
    return waiter !== undefined;
  }

  /** The WebSocket went away: reads waiting there go over REST instead. */
  disconnected() {
    for (const waiter of [...this.#pending.values()]) {
      waiter.reject(new SwitchboardError('disconnected', 'the connection closed before the answer'));
    }
  }
}
