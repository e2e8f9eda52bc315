import { watchBrowser } from './browser-wake.js';
import { ReconnectPolicy } from './reconnect-policy.js';
import { Timer } from './timer.js';
import { TransportLadder } from './transport-ladder.js';
import { createTransport } from './transports/index.js';
import { probeWebSocket } from './transports/probe.js';
import { UpgradeProbe } from './upgrade-probe.js';

/**
 * The client's one logical connection to a node and its states: `idle`, then `connecting` -> `connected` ->
 * `reconnecting` -> `connecting` ... until `closed`. Each attempt opens a new transport, chosen by the ladder
 * (transport-ladder.js); when it ends, the reconnect policy (reconnect-policy.js) says whether to stop or when to try
 * again, and while on a fallback the upgrade probe (upgrade-probe.js) looks for a way back to WebSocket.
 *
 * Each attempt has a generation: a transport the client has moved on from may still report (a late close, a frame
 * already in flight), and is ignored.
 */
export class Connection {
  #env;
  #tokens;
  #sessionTokens;
  #subscriptions;
  #onFrame;
  #onDisconnected;
  #emit;
  #ladder;
  #policy;
  #probe;
  #retry;
  #transport = null;
  #generation = 0;
  #wanted = false;
  #attempt = 0;
  #state = { state: 'idle', transport: null, fallback: false, attempt: 0 };
  #unwatchBrowser = () => {};

  /**
   * @param {{env: ReturnType<import('./client-options.js').resolveOptions>,
   *   tokens: import('./token.js').TokenSource,
   *   sessionTokens: import('./session-tokens.js').SessionTokens,
   *   subscriptions: import('./subscriptions.js').Subscriptions,
   *   onFrame: (frame: object) => void, onDisconnected: () => void,
   *   emit: (type: 'state'|'error', value: unknown) => void}} deps `onDisconnected`: the transport went away
   */
  constructor({ env, tokens, sessionTokens, subscriptions, onFrame, onDisconnected, emit }) {
    this.#env = env;
    this.#tokens = tokens;
    this.#sessionTokens = sessionTokens;
    this.#subscriptions = subscriptions;
    this.#onFrame = onFrame;
    this.#onDisconnected = onDisconnected;
    this.#emit = emit;
    this.#ladder = new TransportLadder(env.transports, env.settings);
    this.#policy = new ReconnectPolicy({ backoff: env.backoff, random: env.random, now: env.now, ladder: this.#ladder });
    this.#retry = new Timer(env.timers);
    this.#probe = new UpgradeProbe({
      timers: env.timers,
      random: env.random,
      intervalMs: env.settings.upgradeProbeMs,
      wanted: () => this.#wanted && this.#ladder.onFallback,
      probe: () => this.#probeWebSocket(),
      onSuccess: () => this.#upgrade(),
    });
  }

  /** The current state (a copy). */
  get state() {
    return { ...this.#state };
  }

  /** Starts connecting, from the best transport; nothing when already started. */
  start() {
    if (this.#wanted) {
      return;
    }
    this.#wanted = true;
    this.#attempt = 0;
    this.#ladder.reset();
    this.#policy.reset();
    this.#tokens.start();
    this.#sessionTokens.start();
    if (this.#env.settings.watchBrowser !== false) {
      this.#unwatchBrowser = watchBrowser((reason) => this.#wake(reason));
    }
    this.#connectNow();
  }

  /** Closes the transport and stays closed until `start()`. */
  stop(reason, error) {
    this.#wanted = false;
    this.#generation++;
    this.#retry.cancel();
    this.#probe.cancel();
    this.#tokens.stop();
    this.#sessionTokens.stop();
    this.#unwatchBrowser();
    this.#unwatchBrowser = () => {};
    const transport = this.#transport;
    this.#transport = null;
    transport?.close();
    this.#onDisconnected();
    this.#setState('closed', { transport: null, reason, error });
  }

  /** Sends a frame on the WebSocket; false when not connected on one. */
  sendOnWebSocket(frame) {
    return this.#transport?.name === 'websocket' && this.#transport.send(frame);
  }

  subscribe(sessionId, position) {
    this.#transport?.subscribe(sessionId, position);
  }

  unsubscribe(sessionId) {
    this.#transport?.unsubscribe(sessionId);
  }

  /** A session's new session token is handed to the open connection in place. */
  applySessionToken(sessionId) {
    if (this.#wanted && this.#transport) {
      this.#transport.setSessionToken(sessionId);
    }
  }

  /** A new token is handed to the open connection in place. */
  applyToken(token) {
    if (this.#wanted && this.#transport) {
      this.#transport.setToken(token);
    }
  }

  async #connectNow() {
    this.#retry.cancel();
    const generation = ++this.#generation;
    const name = this.#ladder.current;
    this.#attempt++;
    this.#setState('connecting', { transport: name });
    let token;
    try {
      token = await this.#tokens.get();
      await this.#sessionTokens.ready(this.#subscriptions.ids);
    } catch (error) {
      if (generation === this.#generation && this.#wanted) {
        this.#emit('error', error);
        this.#scheduleRetry(this.#policy.afterTokenFailure(), { error, transport: name });
      }
      return;
    }
    if (generation !== this.#generation || !this.#wanted || !token) {
      return;
    }
    const transport = createTransport(name, this.#transportContext(generation));
    this.#transport = transport;
    transport.open();
  }

  /** @returns {import('./transports/context.js').TransportContext} */
  #transportContext(generation) {
    const env = this.#env;
    const current = () => generation === this.#generation && this.#wanted;
    return {
      baseUrl: env.baseUrl,
      WebSocket: env.WebSocket,
      fetch: env.fetch,
      timers: env.timers,
      now: env.now,
      token: () => this.#tokens.current,
      sessionToken: (sessionId) => this.#sessionTokens.current(sessionId),
      sessions: () => this.#subscriptions.positions(),
      fallbackFrom: () => this.#ladder.cameFrom,
      options: env.settings,
      onOpen: (info) => current() && this.#opened(info),
      onFrame: (frame) => current() && this.#onFrame(frame),
      onClose: (info) => current() && this.#closed(info),
    };
  }

  #opened(info) {
    this.#ladder.opened();
    this.#policy.opened();
    this.#setState('connected', { transport: this.#transport.name, connectionId: info.connectionId,
      userId: info.userId });
    this.#probe.schedule();
  }

  /** The transport ended by itself. */
  #closed(info) {
    this.#transport = null;
    this.#onDisconnected();
    const { error } = info;
    if (error?.code === 'unauthorized') {
      this.#tokens.invalidate();
    }
    const next = this.#policy.afterClose(info, { canRefreshToken: this.#tokens.canRefresh });
    if (next.stop) {
      this.#emit('error', error);
      this.stop(next.stop, error);
      return;
    }
    this.#scheduleRetry(next.retryInMs, { error, transport: next.transport, reason: next.reason });
  }

  #scheduleRetry(delay, { error, reason, transport }) {
    this.#retry.cancel();
    this.#setState('reconnecting', { transport, retryInMs: delay, error, reason });
    this.#retry.arm(delay, () => this.#connectNow());
    this.#probe.schedule();
  }

  #probeWebSocket() {
    const { WebSocket, baseUrl, timers, settings } = this.#env;
    const token = this.#tokens.current;
    return token !== null && typeof WebSocket === 'function'
      && probeWebSocket({ WebSocket, baseUrl, token, timers, timeoutMs: settings.connectTimeoutMs });
  }

  /** A WebSocket probe got through while on a fallback: drop the fallback and connect on WebSocket now. */
  #upgrade() {
    const transport = this.#transport;
    this.#transport = null;
    this.#generation++;
    transport?.close();
    this.#onDisconnected();
    this.#ladder.returnToWebSocket();
    this.#policy.reset();
    this.#setState('reconnecting', { transport: 'websocket', retryInMs: 0, reason: 'upgrade' });
    this.#connectNow();
  }

  /** The browser is back online or the page visible again: reconnect now rather than after the backoff. */
  #wake(reason) {
    if (!this.#wanted) {
      return;
    }
    if (this.#retry.armed) {
      this.#policy.reset();
      this.#setState('reconnecting', { transport: this.#ladder.current, retryInMs: 0, reason });
      this.#connectNow();
    } else {
      this.#transport?.checkLiveness();
    }
  }

  #setState(state, details) {
    const transport = details.transport ?? null;
    const next = { state, transport, fallback: this.#ladder.isFallback(transport), attempt: this.#attempt };
    for (const key of ['retryInMs', 'reason', 'error', 'connectionId', 'userId']) {
      if (details[key] !== undefined) {
        next[key] = details[key];
      }
    }
    this.#state = next;
    this.#emit('state', { ...next });
  }
}
