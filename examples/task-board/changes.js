// Making a change: shown at once, published, and rolled back with a clear message if the server refuses it.
import { flash } from '../shared/status.js';

/**
 * How long a change may keep retrying (through a rate-limit wait, a reconnect) before it is given up. A burst past
 * the publish budget (100 a minute, 20 at once) needs a few seconds to drain, one change per 0.6 s.
 */
const CHANGE_TIMEOUT_MS = 30_000;

export class Changes {
  #client;
  #board;
  #sessionId;
  #me;
  #banner;
  #redraw;

  constructor({ client, board, sessionId, me, banner, redraw }) {
    this.#client = client;
    this.#board = board;
    this.#sessionId = sessionId;
    this.#me = me;
    this.#banner = banner;
    this.#redraw = redraw;
  }

  /** Applies a change now and publishes it; resolves with its eventId, or null when it was refused (undone). */
  async make(eventType, payload) {
    const change = this.#board.change(eventType, payload, this.#me);
    this.#redraw();
    try {
      const { eventId } = await this.#client.publish(this.#sessionId, eventType, payload, {
        timeoutMs: CHANGE_TIMEOUT_MS,
        onRetry: ({ error, delayMs }) => {
          if (error.code === 'rate_limited') {
            flash(this.#banner, `Slow down: each person can make 100 changes a minute. Saving your change in `
              + `${Math.max(1, Math.ceil(delayMs / 1000))} s…`, 'warning');
          }
        },
      });
      this.#board.stored(change, eventId);
      this.#redraw();
      return eventId;
    } catch (error) {
      this.#board.refused(change);
      this.#redraw();
      flash(this.#banner, refusalMessage(error), 'error', 10_000);
      return null;
    }
  }
}

function refusalMessage(error) {
  switch (error.code) {
    case 'rate_limited':
      return 'Not saved: you reached the limit of 100 changes a minute. Your change was undone; try again in a '
        + 'moment.';
    case 'forbidden':
      return 'Not saved: you can view this board but not change it. Your change was undone.';
    default:
      return `Not saved (${error.message}). Your change was undone.`;
  }
}
