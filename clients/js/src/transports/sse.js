import { SwitchboardError, errorFromFetchFailure, errorFromResponse } from '../errors.js';
import { parseFrame } from '../frames.js';
import { SseParser } from '../sse-parser.js';
import { query } from '../urls.js';
import { Timer } from '../timer.js';
import { lostSessions, reportLost } from './lost-sessions.js';

/** SSE pings come every `heartbeatSec`; a stream silent for two intervals is dead (docs/PROTOCOL.md, SSE). */
const DEFAULT_PING_SEC = 5;

/**
 * Server-Sent Events read with fetch streaming: one `GET /events` stream for every session (the sessionId
 * repeated), the token in `Authorization`, resume positions in `Last-Event-ID` as `s1=5,s2=7` (a session not listed
 * there starts live). Publishing goes over REST.
 *
 * Changing the set of sessions, or the token, replaces the stream in place: the new one resumes from the positions
 * the client holds, and the client drops whatever the two streams both delivered. A stream reopened with a token
 * that no longer allows some of its sessions is refused with a `403` naming them: those are reported as
 * `unsubscribed` (lost-sessions.js) and the stream is opened again with the others.
 */
export class SseTransport {
  name = 'sse';
  #ctx;
  #open = false;
  #ended = false;
  #stream = null;
  #lastFrameAt = 0;
  #silenceMs = 2 * DEFAULT_PING_SEC * 1000;
  #watchdog;

  /** @param {import('./context.js').TransportContext} ctx */
  constructor(ctx) {
    this.#ctx = ctx;
    this.#watchdog = new Timer(ctx.timers);
  }

  get isOpen() {
    return this.#open && !this.#ended;
  }

  open() {
    this.#startStream();
  }

  send() {
    return false;
  }

  subscribe() {
    this.#restart();
  }

  unsubscribe() {
    this.#restart();
  }

  setToken() {
    this.#restart();
    return true;
  }

  /** A stream takes session tokens only when it opens: reopen it with the fresh one, resuming every session. */
  setSessionToken() {
    return this.setToken();
  }

  checkLiveness() {
    if (this.isOpen && this.#ctx.now() - this.#lastFrameAt >= this.#silenceMs / 2) {
      this.#restart();
    }
  }

  close() {
    this.#ended = true;
    this.#watchdog.cancel();
    this.#stream?.abort();
  }

  #restart() {
    if (this.#ended) {
      return;
    }
    this.#stream?.abort();
    this.#startStream();
  }

  #startStream() {
    const ctx = this.#ctx;
    const sessions = ctx.sessions();
    this.#lastFrameAt = ctx.now();
    if (sessions.length === 0) {
      // A stream needs a session; with none there is nothing to carry until one is subscribed.
      this.#stream = null;
      this.#watchdog.cancel();
      if (!this.#open) {
        this.#open = true;
        ctx.timers.setTimeout(() => !this.#ended && ctx.onOpen({ heartbeatSec: DEFAULT_PING_SEC }), 0);
      }
      return;
    }
    const stream = { controller: new AbortController(), aborted: false };
    stream.abort = () => {
      stream.aborted = true;
      stream.controller.abort();
    };
    this.#stream = stream;
    this.#armWatchdog(this.#open ? this.#silenceMs : ctx.options.connectTimeoutMs);
    this.#read(stream, sessions).catch((failure) => {
      if (!stream.aborted) {
        this.#failed(failure instanceof SwitchboardError ? failure : errorFromFetchFailure(failure, false), sessions);
      }
    });
  }

  /** The stream failed or was refused: drop the sessions the token no longer allows and go on, or give up. */
  #failed(error, sessions) {
    const lost = lostSessions(error, sessions.map((s) => s.sessionId));
    if (lost.length === 0) {
      this.#finish(error);
      return;
    }
    reportLost(this.#ctx, lost, error);
    if (this.#ctx.sessions().some((s) => lost.includes(s.sessionId))) {
      this.#finish(error); // not dropped (the client moved on): reopening would only be refused again
    } else {
      this.#restart();
    }
  }

  async #read(stream, sessions) {
    const ctx = this.#ctx;
    const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${ctx.token()}` };
    const cursor = sessions.filter((s) => s.position !== null).map((s) => `${s.sessionId}=${s.position}`).join(',');
    if (cursor) {
      headers['Last-Event-ID'] = cursor;
    }
    const url = ctx.baseUrl + '/events' + query([...sessions.map((s) => ['sessionId', s.sessionId]),
      ['fallbackFrom', ctx.fallbackFrom?.()],
      ...sessions.map((s) => ['sessionToken', ctx.sessionToken?.(s.sessionId)])]);
    const response = await ctx.fetch(url, { headers, cache: 'no-store', signal: stream.controller.signal });
    if (!response.ok) {
      throw await errorFromResponse(response);
    }
    let streamError = null;
    const parser = new SseParser(({ data }) => {
      const frame = parseFrame(data);
      if (!frame || stream.aborted) {
        return;
      }
      if (frame.type === 'connected') {
        if (typeof frame.heartbeatSec === 'number' && frame.heartbeatSec > 0) {
          this.#silenceMs = 2 * frame.heartbeatSec * 1000;
        }
        this.#armWatchdog(this.#silenceMs);
        if (!this.#open) {
          this.#open = true;
          ctx.onOpen(frame);
        }
        return;
      }
      if (frame.type === 'ping') {
        return;
      }
      if (frame.type === 'error') {
        // The server ends a stream after an error frame (token expired, slow consumer, store unavailable).
        streamError = new SwitchboardError(frame.code ?? 'unavailable', frame.message ?? 'the stream ended',
          { retryable: frame.retryable });
      }
      ctx.onFrame(frame);
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done || stream.aborted) {
        break;
      }
      this.#lastFrameAt = ctx.now();
      parser.push(decoder.decode(value, { stream: true }));
    }
    if (!stream.aborted) {
      throw streamError ?? new SwitchboardError('disconnected', 'the server ended the stream');
    }
  }

  #armWatchdog(delayMs) {
    this.#watchdog.arm(delayMs, () => this.#checkSilence());
  }

  /** No frame (not even the ping) for two intervals: the stream is dead even if no error says so. */
  #checkSilence() {
    if (this.#ended) {
      return;
    }
    const limit = this.#open ? this.#silenceMs : this.#ctx.options.connectTimeoutMs;
    const quiet = this.#ctx.now() - this.#lastFrameAt;
    if (quiet >= limit) {
      this.#stream?.abort();
      this.#finish(new SwitchboardError('timeout', this.#open ? 'the stream went silent' : 'connect timeout'));
    } else {
      this.#armWatchdog(limit - quiet);
    }
  }

  #finish(error) {
    if (this.#ended) {
      return;
    }
    this.#ended = true;
    this.#watchdog.cancel();
    this.#ctx.onClose({ wasOpen: this.#open, code: error.status ?? 0, reason: error.message, error });
  }
}
