import { SwitchboardError, errorFromFetchFailure, errorFromResponse } from '../errors.js';
import { query } from '../urls.js';
import { lostSessions, reportLost } from './lost-sessions.js';

/** How much longer than the poll's own timeout we wait for its answer before calling the connection dead. */
const ANSWER_GRACE_MS = 10_000;

/**
 * Long polling: one `GET /poll` loop per session, each asking again from the answer's `lastEventId`. Each loop
 * first polls with `timeoutMs=0`, answered at once (for a session without a position: with the session's head, where
 * it then starts), so the token and the path are proven before the client reports `connected`.
 *
 * A poll refused with a `403` naming its session (the token, refreshed, no longer allows it) ends that session's
 * loop only: the session is reported as `unsubscribed` (lost-sessions.js) and the other loops go on.
 *
 * Long polls carry no presence frames, so presence is read from `GET /sessions/{S}/presence` every
 * `presencePollMs`. Publishing goes over REST.
 */
export class PollTransport {
  name = 'poll';
  #ctx;
  #open = false;
  #ended = false;
  /** sessionId -> {controller, retoken} of its loop */
  #loops = new Map();
  #ready = new Set();
  #presenceTimer = null;
  #fallbackReported = false;

  /** @param {import('./context.js').TransportContext} ctx */
  constructor(ctx) {
    this.#ctx = ctx;
  }

  get isOpen() {
    return this.#open && !this.#ended;
  }

  open() {
    const sessions = this.#ctx.sessions();
    for (const { sessionId } of sessions) {
      this.#startLoop(sessionId);
    }
    if (sessions.length === 0) {
      this.#ctx.timers.setTimeout(() => this.#maybeOpen(), 0);
    }
  }

  send() {
    return false;
  }

  subscribe(sessionId) {
    if (!this.#ended && !this.#loops.has(sessionId)) {
      this.#startLoop(sessionId);
    }
  }

  unsubscribe(sessionId) {
    this.#loops.get(sessionId)?.stop();
    this.#loops.delete(sessionId);
    this.#ready.delete(sessionId);
  }

  /** A refreshed token: cut the waiting polls short so the next ones carry it (a waiting poll answers 401 at exp). */
  setToken() {
    for (const loop of this.#loops.values()) {
      loop.interrupt();
    }
    return true;
  }

  /** A fresh session token: the session's waiting poll is cut short, so the next one carries it. */
  setSessionToken(sessionId) {
    this.#loops.get(sessionId)?.interrupt();
    return true;
  }

  checkLiveness() {
    this.setToken();
  }

  close() {
    this.#ended = true;
    for (const loop of this.#loops.values()) {
      loop.stop();
    }
    this.#loops.clear();
    if (this.#presenceTimer !== null) {
      this.#ctx.timers.clearTimeout(this.#presenceTimer);
    }
  }

  #startLoop(sessionId) {
    const loop = {
      stopped: false,
      controller: null,
      stop() {
        this.stopped = true;
        this.controller?.abort();
      },
      interrupt() {
        this.controller?.abort();
      },
    };
    this.#loops.set(sessionId, loop);
    this.#run(sessionId, loop).catch((error) => {
      if (loop.stopped) {
        return;
      }
      if (lostSessions(error, [sessionId]).length === 0) {
        this.#finish(error);
        return;
      }
      this.unsubscribe(sessionId);
      reportLost(this.#ctx, [sessionId], error);
      this.#maybeOpen();
    });
  }

  async #run(sessionId, loop) {
    const ctx = this.#ctx;
    let first = true;
    while (!loop.stopped && !this.#ended) {
      const position = this.#positionOf(sessionId);
      // The first poll of a connection answers at once (proving token and path before `connected` is reported);
      // the following ones wait for events.
      const timeoutMs = first ? 0 : ctx.options.pollTimeoutMs;
      // Only the connection's first request reports the change of transport (docs/PROTOCOL.md, Transport history).
      const fallbackFrom = this.#fallbackReported ? null : ctx.fallbackFrom?.();
      this.#fallbackReported = true;
      const url = ctx.baseUrl + '/poll' + query([
        ['sessionId', sessionId], ['fromEventId', position], ['timeoutMs', timeoutMs], ['fallbackFrom', fallbackFrom],
        ['sessionToken', ctx.sessionToken?.(sessionId)]]);
      const answer = await this.#get(url, timeoutMs + ANSWER_GRACE_MS, loop);
      if (loop.stopped || this.#ended) {
        return;
      }
      if (answer === null) {
        continue; // interrupted for a new token: ask again at once
      }
      if (answer.reset) {
        ctx.onFrame({ type: 'reset', sessionId, reason: answer.reset.reason, lastEventId: answer.reset.lastEventId });
      } else {
        for (const event of answer.events ?? []) {
          ctx.onFrame(event.type ? event : { type: 'event', ...event });
        }
        if (position === null) {
          // What a WebSocket or SSE subscription says with `replayed`: live delivery continues after this head.
          ctx.onFrame({ type: 'replayed', sessionId, lastEventId: answer.lastEventId });
        }
      }
      first = false;
      this.#ready.add(sessionId);
      this.#maybeOpen();
    }
  }

  /** One poll: the parsed answer, null when interrupted on purpose; throws for failures. */
  async #get(url, answerWithinMs, loop) {
    const ctx = this.#ctx;
    const controller = new AbortController();
    loop.controller = controller;
    let timedOut = false;
    const timer = ctx.timers.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, answerWithinMs);
    try {
      const response = await ctx.fetch(url, {
        headers: { Authorization: `Bearer ${ctx.token()}` }, cache: 'no-store', signal: controller.signal,
      });
      if (!response.ok) {
        throw await errorFromResponse(response);
      }
      return await response.json();
    } catch (failure) {
      if (failure instanceof SwitchboardError) {
        throw failure;
      }
      if (controller.signal.aborted && !timedOut) {
        return null;
      }
      throw errorFromFetchFailure(failure, timedOut);
    } finally {
      ctx.timers.clearTimeout(timer);
      loop.controller = null;
    }
  }

  #positionOf(sessionId) {
    return this.#ctx.sessions().find((s) => s.sessionId === sessionId)?.position ?? null;
  }

  #maybeOpen() {
    if (this.#open || this.#ended || this.#ready.size < this.#loops.size) {
      return;
    }
    this.#open = true;
    this.#ctx.onOpen({});
    this.#pollPresence();
  }

  async #pollPresence() {
    const ctx = this.#ctx;
    this.#presenceTimer = null;
    for (const sessionId of [...this.#loops.keys()]) {
      try {
        const response = await ctx.fetch(ctx.baseUrl + `/sessions/${encodeURIComponent(sessionId)}/presence`, {
          headers: { Authorization: `Bearer ${ctx.token()}` }, cache: 'no-store',
        });
        if (response.ok && this.#loops.has(sessionId) && !this.#ended) {
          const body = await response.json();
          ctx.onFrame({ type: 'presence.state', sessionId, users: body.users ?? [], count: body.count, polled: true });
        }
      } catch {
        // Presence is best effort here; the event loops report a server that is gone.
      }
    }
    if (!this.#ended) {
      this.#presenceTimer = ctx.timers.setTimeout(() => this.#pollPresence(), ctx.options.presencePollMs);
    }
  }

  #finish(error) {
    if (this.#ended) {
      return;
    }
    this.close();
    this.#ctx.onClose({ wasOpen: this.#open, code: error.status ?? 0, reason: error.message, error });
  }
}
