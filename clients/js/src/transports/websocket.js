import { SwitchboardError } from '../errors.js';
import { parseFrame } from '../frames.js';
import { query, webSocketUrl } from '../urls.js';
import { Timer } from '../timer.js';
import { CLOSE } from './context.js';

const DEFAULT_HEARTBEAT_SEC = 5;

/**
 * The WebSocket transport: `GET /events`, authenticated by a first `auth` frame (keeps the token out of URLs and
 * proxy logs), then one `subscribe` frame per session with its resume position.
 *
 * Liveness: browsers cannot see WebSocket pings, and a half-open connection reports no error, so when nothing has
 * arrived for `heartbeatSec` we send `ping` and give up on the connection if nothing follows within
 * `pongTimeoutMs` (by default `heartbeatSec` again: a silent drop is noticed within two intervals, 10 s with the
 * server's default of 5 s; docs/PROTOCOL.md, Recommended client behaviour).
 */
export class WebSocketTransport {
  name = 'websocket';
  #ctx;
  #ws = null;
  #open = false;
  #ended = false;
  #lastFrameAt = 0;
  #pingSentAt = null;
  #heartbeatMs = DEFAULT_HEARTBEAT_SEC * 1000;
  #watchdog;
  #closeError = null;

  /** @param {import('./context.js').TransportContext} ctx */
  constructor(ctx) {
    this.#ctx = ctx;
    this.#watchdog = new Timer(ctx.timers);
  }

  get isOpen() {
    return this.#open && !this.#ended;
  }

  open() {
    const ctx = this.#ctx;
    if (typeof ctx.WebSocket !== 'function') {
      this.#finish({ code: 0, reason: 'no WebSocket implementation (pass options.WebSocket)' });
      return;
    }
    let ws;
    try {
      ws = new ctx.WebSocket(webSocketUrl(ctx.baseUrl, '/events' + query([['fallbackFrom', ctx.fallbackFrom?.()]])));
    } catch (error) {
      // Reported asynchronously, like every other failure, so the client's bookkeeping sees one order of events.
      ctx.timers.setTimeout(() => this.#finish({ code: 0, reason: String(error?.message ?? error) }), 0);
      return;
    }
    this.#ws = ws;
    this.#watchdog.arm(ctx.options.connectTimeoutMs, () => this.#fail('connect timeout'));
    ws.onopen = () => this.#sendNow({ type: 'auth', token: ctx.token() });
    ws.onmessage = (message) => this.#receive(message.data);
    ws.onerror = () => {}; // a close event follows and says more
    ws.onclose = (event) => this.#finish({ code: event.code ?? 0, reason: event.reason ?? '' });
  }

  /** Sends a frame when connected; false when it cannot (the caller retries later or elsewhere). */
  send(frame) {
    return this.isOpen && this.#sendNow(frame);
  }

  subscribe(sessionId, position) {
    this.send(subscribeFrame(sessionId, position, this.#ctx.sessionToken?.(sessionId)));
  }

  /**
   * A fresh session token: the same `subscribe` frame for the subscribed session refreshes it on the server (its
   * position is ignored then; it resumes from there if the server had ended the subscription meanwhile).
   */
  setSessionToken(sessionId) {
    const held = this.#ctx.sessions().find((s) => s.sessionId === sessionId);
    if (held) {
      this.subscribe(sessionId, held.position);
    }
    return true;
  }

  unsubscribe(sessionId) {
    this.send({ type: 'unsubscribe', sessionId });
  }

  /** A refreshed token is handed over in place with an `auth` frame. */
  setToken(token) {
    return this.send({ type: 'auth', token });
  }

  /** The browser came back (online, page visible): prove the connection now instead of at the next quiet spell. */
  checkLiveness() {
    if (this.isOpen && this.#pingSentAt === null) {
      this.#ping();
    }
  }

  close() {
    this.#ended = true;
    this.#watchdog.cancel();
    if (this.#ws) {
      try {
        this.#ws.close(CLOSE.NORMAL);
      } catch {
        // already closing
      }
    }
  }

  #receive(data) {
    if (this.#ended) {
      return;
    }
    this.#lastFrameAt = this.#ctx.now();
    this.#pingSentAt = null;
    const frame = parseFrame(typeof data === 'string' ? data : String(data));
    if (!frame) {
      return;
    }
    if (frame.type === 'connected' && !this.#open) {
      this.#open = true;
      if (typeof frame.heartbeatSec === 'number' && frame.heartbeatSec > 0) {
        this.#heartbeatMs = frame.heartbeatSec * 1000;
      }
      this.#ctx.onOpen(frame);
      for (const { sessionId, position } of this.#ctx.sessions()) {
        this.#sendNow(subscribeFrame(sessionId, position, this.#ctx.sessionToken?.(sessionId)));
      }
      this.#watch();
      return;
    }
    if (frame.type === 'pong') {
      return;
    }
    if (frame.type === 'error' && frame.requestId === undefined && frame.code === 'unauthorized') {
      this.#closeError = new SwitchboardError('unauthorized', frame.message ?? 'unauthorized');
    }
    this.#ctx.onFrame(frame);
  }

  #watch() {
    if (this.#ended) {
      return;
    }
    const now = this.#ctx.now();
    const pongTimeoutMs = this.#pongTimeoutMs();
    if (this.#pingSentAt !== null) {
      const waited = now - this.#pingSentAt;
      if (waited >= pongTimeoutMs) {
        this.#fail('no pong: the connection is dead');
      } else {
        this.#watchdog.arm(pongTimeoutMs - waited, () => this.#watch());
      }
      return;
    }
    const quiet = now - this.#lastFrameAt;
    if (quiet >= this.#heartbeatMs) {
      this.#ping();
    } else {
      this.#watchdog.arm(this.#heartbeatMs - quiet, () => this.#watch());
    }
  }

  #ping() {
    this.#pingSentAt = this.#ctx.now();
    this.#sendNow({ type: 'ping' });
    this.#watchdog.arm(this.#pongTimeoutMs(), () => this.#watch());
  }

  #pongTimeoutMs() {
    return this.#ctx.options.pongTimeoutMs ?? this.#heartbeatMs;
  }

  #sendNow(frame) {
    try {
      this.#ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  /** Gives up on a connection that will not or no longer answers. */
  #fail(reason) {
    try {
      this.#ws?.close(CLOSE.NORMAL);
    } catch {
      // ignore
    }
    this.#finish({ code: 0, reason });
  }

  #finish({ code, reason }) {
    if (this.#ended) {
      return;
    }
    this.#ended = true;
    this.#watchdog.cancel();
    this.#ctx.onClose({ wasOpen: this.#open, code, reason, error: errorOfClose(code, reason) ?? this.#closeError });
  }
}

function subscribeFrame(sessionId, position, token) {
  const frame = { type: 'subscribe', sessionId, requestId: `subscribe:${sessionId}` };
  if (position !== null && position !== undefined) {
    frame.fromEventId = position;
  }
  if (token) {
    frame.token = token;
  }
  return frame;
}

function errorOfClose(code, reason) {
  switch (code) {
    case CLOSE.UNAUTHORIZED:
      return new SwitchboardError('unauthorized', reason || 'unauthorized or token expired', { status: code });
    case CLOSE.FORBIDDEN:
      return new SwitchboardError('forbidden', reason || 'forbidden', { status: code });
    case CLOSE.RATE_LIMITED:
      return new SwitchboardError('rate_limited', reason || 'rate limited', { status: code });
    case CLOSE.TRY_AGAIN_LATER:
      // "try again later; retry after N ms": the node paces a crowd of reconnects.
      return new SwitchboardError('unavailable', reason || 'try again later',
        { status: code, retryAfterMs: Number(/retry after (\d+) ms/.exec(reason ?? '')?.[1] ?? 1000) });
    case CLOSE.TERMINATED:
      return new SwitchboardError('terminated', reason || 'disconnected by an operator', { status: code });
    default:
      return null;
  }
}
