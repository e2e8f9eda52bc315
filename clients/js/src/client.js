import { Backoff, DEFAULT_BACKOFF } from './backoff.js';
import { SwitchboardError } from './errors.js';
import { isEventId } from './event-ids.js';
import { Publisher } from './publisher.js';
import { restPresence } from './rest.js';
import { SessionState } from './session-state.js';
import { TokenSource } from './token.js';
import { PollTransport } from './transports/poll.js';
import { probeWebSocket } from './transports/probe.js';
import { SseTransport } from './transports/sse.js';
import { WebSocketTransport } from './transports/websocket.js';
import { resolveBaseUrl } from './urls.js';

/** Transports from best to last resort: the fallback order. */
export const TRANSPORTS = Object.freeze(['websocket', 'sse', 'poll']);
const TRANSPORT_CLASSES = { websocket: WebSocketTransport, sse: SseTransport, poll: PollTransport };
const SESSION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** A connection that stayed up this long proved itself: the next drop starts the backoff from the beginning. */
const STABLE_MS = 5_000;
/** The least wait after the server said `rate_limited` without a Retry-After. */
const RATE_LIMITED_MIN_MS = 1_000;
const LISTENER_TYPES = ['event', 'presence', 'state', 'reset', 'signal', 'error'];

const DEFAULTS = Object.freeze({
  fallbackAfter: 2,
  fallbackAfterWorked: 6,
  upgradeProbeMs: 15_000,
  connectTimeoutMs: 10_000,
  pongTimeoutMs: 10_000,
  pollTimeoutMs: 25_000,
  presencePollMs: 10_000,
  ackTimeoutMs: 10_000,
  publishTimeoutMs: 60_000,
});

/**
 * A Switchboard client: one logical connection to a node, carried by WebSocket, SSE or long polling, holding the
 * subscribed sessions and where each one resumes. See index.d.ts for the documented surface.
 */
export class SwitchboardClient {
  #options;
  #baseUrl;
  #transportNames;
  #index = 0;
  #sessions = new Map();
  #listeners = Object.fromEntries(LISTENER_TYPES.map((type) => [type, new Set()]));
  #tokens;
  #publisher;
  #backoff;
  #timers;
  #now;
  #random;
  #WebSocket;
  #fetch;
  #transport = null;
  #generation = 0;
  #wanted = false;
  #disposed = false;
  #retryTimer = null;
  #probeTimer = null;
  #failures = 0;
  #everOpened = new Set();
  #openedAt = 0;
  #authFailuresInARow = 0;
  #attempt = 0;
  #state = { state: 'idle', transport: null, fallback: false, attempt: 0 };
  #unhookBrowser = () => {};

  constructor(options = {}) {
    // An option given as undefined means "the default", as it would in a destructuring default.
    this.#options = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    this.#baseUrl = resolveBaseUrl(options.url);
    this.#transportNames = checkTransports(options.transports ?? TRANSPORTS);
    this.#timers = options.timers ?? { setTimeout: globalThis.setTimeout.bind(globalThis),
      clearTimeout: globalThis.clearTimeout.bind(globalThis) };
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.#fetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
    if (typeof this.#fetch !== 'function') {
      throw new TypeError('Switchboard: no fetch implementation (pass options.fetch)');
    }
    const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#backoff = new Backoff({ ...backoff, random: this.#random });
    this.#tokens = new TokenSource(options.token, {
      now: this.#now,
      timers: this.#timers,
      refreshBeforeMs: options.refreshBeforeMs,
      onRefreshed: (token) => this.#tokenChanged(token),
      onError: (error) => this.#emit('error', error),
    });
    this.#publisher = new Publisher({
      sendFrame: (frame) => this.#transport?.name === 'websocket' && this.#transport.send(frame),
      http: this.#http(),
      tokens: this.#tokens,
      timers: this.#timers,
      now: this.#now,
      random: this.#random,
      ackTimeoutMs: this.#options.ackTimeoutMs,
      publishTimeoutMs: this.#options.publishTimeoutMs,
      backoff,
    });
    for (const type of LISTENER_TYPES) {
      const callback = options[`on${type[0].toUpperCase()}${type.slice(1)}`];
      if (typeof callback === 'function') {
        this.on(type, callback);
      }
    }
  }

  /** The current connection state (a copy). */
  get state() {
    return { ...this.#state };
  }

  /** The transport in use or being tried, or null while idle or closed. */
  get transport() {
    return this.#state.transport;
  }

  /** Starts connecting (again, after `close()` or a stop); subscriptions made before are carried. */
  connect() {
    if (this.#disposed) {
      throw new SwitchboardError('closed', 'the client was closed; create a new one');
    }
    if (this.#wanted) {
      return this;
    }
    this.#wanted = true;
    this.#attempt = 0;
    this.#failures = 0;
    this.#backoff.reset();
    this.#tokens.start();
    this.#unhookBrowser = this.#hookBrowser();
    this.#connectNow();
    return this;
  }

  /** Closes the client for good; publishes still in progress fail with `closed`. */
  close() {
    this.#disposed = true;
    this.#stop('closed by the application');
    this.#publisher.close();
  }

  /**
   * Subscribes to a session. Without `fromEventId` it starts live; with it, every event after that eventId is
   * replayed first (`"0"`: the whole retained history).
   */
  subscribe(sessionId, { fromEventId } = {}) {
    if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) {
      throw new TypeError('Switchboard: a sessionId is 1-128 characters of [A-Za-z0-9._:-]');
    }
    if (fromEventId !== undefined && fromEventId !== null && !isEventId(fromEventId)) {
      throw new TypeError('Switchboard: fromEventId must be an eventId (a non-negative integer)');
    }
    if (!this.#sessions.has(sessionId)) {
      const session = new SessionState(sessionId, fromEventId ?? null);
      this.#sessions.set(sessionId, session);
      this.#transport?.subscribe(sessionId, session.position);
    }
    return this;
  }

  unsubscribe(sessionId) {
    if (this.#sessions.delete(sessionId)) {
      this.#transport?.unsubscribe(sessionId);
    }
    return this;
  }

  /** The subscribed session ids. */
  get sessions() {
    return [...this.#sessions.keys()];
  }

  /** The eventId a session resumes after (its last delivered event), or null before it has one. */
  position(sessionId) {
    return this.#sessions.get(sessionId)?.position ?? null;
  }

  /** Who is present in a subscribed session, as last reported. */
  presence(sessionId) {
    return this.#sessions.get(sessionId)?.users ?? [];
  }

  /** How many users are present in a subscribed session (all of them, where `presence()` may list a first page). */
  presenceCount(sessionId) {
    return this.#sessions.get(sessionId)?.count ?? 0;
  }

  /** Reads a session's presence from the server now (REST), and updates `presence(sessionId)`. */
  async refreshPresence(sessionId) {
    const { users, count } = await restPresence(this.#http(), await this.#tokens.get(), sessionId,
      this.#options.ackTimeoutMs);
    this.#onFrame({ type: 'presence.state', sessionId, users, count, polled: true });
    return users;
  }

  /** Stores an event; resolves with its eventId once stored, retrying with the same idempotency key. */
  publish(sessionId, eventType, payload, options) {
    return this.#publisher.publish(sessionId, eventType, payload, options);
  }

  /**
   * Sends an ephemeral signal (not stored, at most once). Signals travel only on a WebSocket: returns false when the
   * client is on another transport or not connected.
   */
  signal(sessionId, eventType, payload) {
    return this.#transport?.name === 'websocket'
      && this.#transport.send({ type: 'signal', sessionId, eventType, payload: payload === undefined ? null : payload });
  }

  /** Replaces the token (when the application refreshes it itself); applied to the connection in place. */
  setToken(token) {
    this.#tokens.set(token);
    this.#tokenChanged(token);
  }

  /** Adds a listener: `event`, `presence`, `state`, `reset`, `signal` or `error`. Returns a function that removes it. */
  on(type, listener) {
    const set = this.#listeners[type];
    if (!set) {
      throw new TypeError(`Switchboard: unknown listener type '${type}'`);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  // ---- connection lifecycle ----

  async #connectNow() {
    this.#clearRetry();
    const generation = ++this.#generation;
    const name = this.#transportNames[this.#index];
    this.#attempt++;
    this.#setState('connecting', { transport: name });
    let token;
    try {
      token = await this.#tokens.get();
    } catch (error) {
      if (generation === this.#generation && this.#wanted) {
        this.#emit('error', error);
        this.#scheduleRetry(this.#backoff.next(), { error, transport: name });
      }
      return;
    }
    if (generation !== this.#generation || !this.#wanted || !token) {
      return;
    }
    const transport = new TRANSPORT_CLASSES[name](this.#transportContext(generation));
    this.#transport = transport;
    transport.open();
  }

  #transportContext(generation) {
    const current = () => generation === this.#generation && this.#wanted;
    return {
      baseUrl: this.#baseUrl,
      WebSocket: this.#WebSocket,
      fetch: this.#fetch,
      timers: this.#timers,
      now: this.#now,
      token: () => this.#tokens.current,
      sessions: () => [...this.#sessions.values()].map((s) => ({ sessionId: s.sessionId, position: s.position })),
      options: this.#options,
      onOpen: (info) => current() && this.#opened(info),
      onFrame: (frame) => current() && this.#onFrame(frame),
      onClose: (info) => current() && this.#closed(info),
    };
  }

  #opened(info) {
    const name = this.#transport.name;
    this.#failures = 0;
    this.#authFailuresInARow = 0;
    this.#everOpened.add(name);
    this.#openedAt = this.#now();
    this.#setState('connected', { transport: name, connectionId: info.connectionId, userId: info.userId });
    this.#scheduleProbe();
  }

  /** The transport ended by itself: decide between stopping, a new token, a fallback, and a plain retry. */
  #closed(info) {
    const name = this.#transport?.name ?? this.#transportNames[this.#index];
    this.#transport = null;
    this.#publisher.disconnected();
    const { error } = info;
    if (error?.code === 'forbidden') {
      this.#emit('error', error);
      this.#stop('forbidden', error);
      return;
    }
    if (error?.code === 'unauthorized') {
      this.#tokens.invalidate();
      if (!this.#tokens.canRefresh) {
        this.#emit('error', error);
        this.#stop('unauthorized: set a new token with setToken() and call connect()', error);
        return;
      }
      // The first refusal is an expired token: fetch a new one and come back at once. More in a row means the
      // callback hands out tokens the server refuses: back off like any failure.
      this.#authFailuresInARow++;
      this.#scheduleRetry(this.#authFailuresInARow === 1 ? 0 : this.#backoff.next(), { error, transport: name });
      return;
    }
    if (info.wasOpen) {
      if (this.#now() - this.#openedAt >= STABLE_MS) {
        this.#backoff.reset();
      }
    } else if (this.#shouldFallBack(name)) {
      this.#index++;
      this.#failures = 0;
      this.#backoff.reset();
      this.#scheduleRetry(0, { error, reason: 'fallback', transport: this.#transportNames[this.#index] });
      return;
    }
    let delay = this.#backoff.next();
    if (error?.code === 'rate_limited') {
      // 4008 / 429: too many connections or frames from here; coming straight back would only be refused again.
      delay = Math.max(delay, error.retryAfterMs ?? RATE_LIMITED_MIN_MS);
    } else if (error?.retryAfterMs) {
      delay = Math.max(delay, error.retryAfterMs);
    }
    this.#scheduleRetry(delay, { error, transport: name });
  }

  /** Repeated failures to even connect mean something in the way (a proxy); a transport that has worked gets longer. */
  #shouldFallBack(name) {
    this.#failures++;
    const limit = this.#everOpened.has(name) ? this.#options.fallbackAfterWorked : this.#options.fallbackAfter;
    return this.#index < this.#transportNames.length - 1 && this.#failures >= limit;
  }

  #scheduleRetry(delay, { error, reason, transport }) {
    this.#clearRetry();
    this.#setState('reconnecting', { transport, retryInMs: delay, error, reason });
    this.#retryTimer = this.#timers.setTimeout(() => {
      this.#retryTimer = null;
      this.#connectNow();
    }, delay);
    this.#scheduleProbe();
  }

  #clearRetry() {
    if (this.#retryTimer !== null) {
      this.#timers.clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
    }
  }

  #stop(reason, error) {
    this.#wanted = false;
    this.#generation++;
    this.#clearRetry();
    this.#clearProbe();
    this.#tokens.stop();
    this.#unhookBrowser();
    this.#unhookBrowser = () => {};
    const transport = this.#transport;
    this.#transport = null;
    transport?.close();
    this.#publisher.disconnected();
    this.#index = 0;
    this.#setState('closed', { transport: null, reason, error });
  }

  // ---- returning to WebSocket ----

  /** While on a fallback, try a WebSocket now and then and switch back to it when one gets through. */
  #scheduleProbe() {
    const wsIndex = this.#transportNames.indexOf('websocket');
    if (wsIndex < 0 || this.#index <= wsIndex || this.#probeTimer !== null || !this.#wanted) {
      return;
    }
    const base = this.#options.upgradeProbeMs;
    const delay = base / 2 + this.#random() * base / 2; // jittered so a crowd does not probe in step
    this.#probeTimer = this.#timers.setTimeout(() => this.#probe(wsIndex), delay);
  }

  async #probe(wsIndex) {
    const ok = this.#tokens.current !== null && typeof this.#WebSocket === 'function' && await probeWebSocket({
      WebSocket: this.#WebSocket,
      baseUrl: this.#baseUrl,
      token: this.#tokens.current,
      timers: this.#timers,
      timeoutMs: this.#options.connectTimeoutMs,
    });
    this.#probeTimer = null;
    if (!this.#wanted || this.#index <= wsIndex) {
      return;
    }
    if (ok) {
      const transport = this.#transport;
      this.#transport = null;
      this.#generation++;
      transport?.close();
      this.#publisher.disconnected();
      this.#index = wsIndex;
      this.#failures = 0;
      this.#backoff.reset();
      this.#setState('reconnecting', { transport: 'websocket', retryInMs: 0, reason: 'upgrade' });
      this.#connectNow();
    } else {
      this.#scheduleProbe();
    }
  }

  #clearProbe() {
    if (this.#probeTimer !== null) {
      this.#timers.clearTimeout(this.#probeTimer);
      this.#probeTimer = null;
    }
  }

  // ---- tokens and the browser ----

  #tokenChanged(token) {
    if (this.#wanted && this.#transport) {
      this.#transport.setToken(token);
    }
  }

  /**
   * Reconnect at once when the browser is back online or the page visible again (docs/PROTOCOL.md, Recommended
   * client behaviour).
   */
  #hookBrowser() {
    if (this.#options.watchBrowser === false || typeof globalThis.addEventListener !== 'function') {
      return () => {};
    }
    const onOnline = () => this.#wake('online');
    const doc = globalThis.document;
    const onVisibility = () => doc.visibilityState === 'visible' && this.#wake('visible');
    globalThis.addEventListener('online', onOnline);
    doc?.addEventListener('visibilitychange', onVisibility);
    return () => {
      globalThis.removeEventListener('online', onOnline);
      doc?.removeEventListener('visibilitychange', onVisibility);
    };
  }

  #wake(reason) {
    if (!this.#wanted) {
      return;
    }
    if (this.#retryTimer !== null) {
      this.#backoff.reset();
      this.#setState('reconnecting', { transport: this.#transportNames[this.#index], retryInMs: 0, reason });
      this.#connectNow();
    } else {
      this.#transport?.checkLiveness();
    }
  }

  // ---- frames ----

  #onFrame(frame) {
    const session = typeof frame.sessionId === 'string' ? this.#sessions.get(frame.sessionId) : undefined;
    switch (frame.type) {
      case 'event':
        if (session?.accept(frame)) {
          this.#emit('event', frame);
        }
        break;
      case 'replayed':
        session?.replayed(frame.lastEventId);
        break;
      case 'reset':
        if (session) {
          session.reset(frame.lastEventId);
          this.#emit('reset', { sessionId: frame.sessionId, reason: frame.reason, lastEventId: frame.lastEventId });
        }
        break;
      case 'presence':
        if (session) {
          session.applyPresence(frame.action, frame.user);
          this.#emit('presence', { sessionId: frame.sessionId, action: frame.action, user: frame.user,
            users: session.users, count: session.count });
        }
        break;
      case 'presence.state':
        if (session) {
          const before = presenceKey(session);
          session.setPresence(frame.users, frame.count);
          // Polled presence repeats itself every few seconds; only a change is news.
          if (!frame.polled || presenceKey(session) !== before) {
            this.#emit('presence', { sessionId: frame.sessionId, action: 'state', users: session.users,
              count: session.count });
          }
        }
        break;
      case 'signal':
        this.#emit('signal', frame);
        break;
      case 'ack':
        this.#publisher.onAck(frame);
        break;
      case 'error':
        this.#onErrorFrame(frame);
        break;
      default:
        break;
    }
  }

  #onErrorFrame(frame) {
    if (this.#publisher.onError(frame)) {
      return;
    }
    const subscribed = typeof frame.requestId === 'string' && frame.requestId.startsWith('subscribe:')
      ? frame.requestId.slice('subscribe:'.length)
      : undefined;
    if (subscribed !== undefined && frame.code === 'forbidden') {
      // The token does not allow this session: keep the rest, drop this one rather than retry it forever.
      this.#sessions.delete(subscribed);
    }
    this.#emit('error', new SwitchboardError(frame.code ?? 'internal', frame.message ?? 'error',
      { requestId: frame.requestId, sessionId: subscribed }));
  }

  // ---- plumbing ----

  #http() {
    return { fetch: this.#fetch, baseUrl: this.#baseUrl, timers: this.#timers };
  }

  #setState(state, details) {
    const transport = details.transport ?? null;
    const wsIndex = this.#transportNames.indexOf('websocket');
    const next = {
      state,
      transport,
      fallback: transport !== null && wsIndex >= 0 && this.#transportNames.indexOf(transport) > wsIndex,
      attempt: this.#attempt,
    };
    for (const key of ['retryInMs', 'reason', 'error', 'connectionId', 'userId']) {
      if (details[key] !== undefined) {
        next[key] = details[key];
      }
    }
    this.#state = next;
    this.#emit('state', { ...next });
  }

  #emit(type, value) {
    for (const listener of [...this.#listeners[type]]) {
      try {
        listener(value);
      } catch (error) {
        // An application bug must not break delivery to the other listeners or the client's own bookkeeping.
        (globalThis.reportError ?? console.error)(error);
      }
    }
  }
}

function checkTransports(names) {
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => TRANSPORTS.includes(n))) {
    throw new TypeError(`Switchboard: transports must be a non-empty list of ${TRANSPORTS.join(', ')}`);
  }
  // Fallback always runs from better to worse, whatever order the list came in.
  return TRANSPORTS.filter((name) => names.includes(name));
}

function presenceKey(session) {
  return JSON.stringify([session.count,
    session.users.map((u) => [u.userId, u.name ?? null, u.actorType ?? null]).sort()]);
}

/** Creates a client; call `connect()` to start. */
export function createClient(options) {
  return new SwitchboardClient(options);
}
