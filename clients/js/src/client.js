import { resolveOptions } from './client-options.js';
import { Connection } from './connection.js';
import { SwitchboardError } from './errors.js';
import { FrameDispatcher } from './frame-dispatch.js';
import { Listeners } from './listeners.js';
import { Publisher } from './publisher.js';
import { ReadMarks } from './read-positions.js';
import { HISTORY_PAGE_LIMIT, historyWindow } from './history.js';
import { restHistory, restMySessions, restPresence } from './rest.js';
import { SessionTokens } from './session-tokens.js';
import { Subscriptions } from './subscriptions.js';
import { TokenSource } from './token.js';

/** The longest a client waits before reading presence again after counts-only diffs (see #rereadPresence). */
const REREAD_JITTER_MS = 2000;

/**
 * A Switchboard client: one logical connection to a node, carried by WebSocket, SSE or long polling, holding the
 * subscribed sessions and where each one resumes. See index.d.ts for the documented surface.
 *
 * This is the public face; the work is done by the parts it wires together: the connection and its states
 * (connection.js), the subscriptions (subscriptions.js), the routing of server frames (frame-dispatch.js),
 * publishing (publisher.js), tokens (token.js) and the application's listeners (listeners.js).
 */
export class SwitchboardClient {
  #env;
  #listeners = new Listeners();
  #subscriptions = new Subscriptions();
  #tokens;
  #sessionTokens;
  #publisher;
  #readMarks;
  #frames;
  #connection;
  #disposed = false;

  constructor(options = {}) {
    const env = resolveOptions(options);
    const emit = (type, value) => this.#listeners.emit(type, value);
    this.#env = env;
    this.#tokens = new TokenSource(options.token, {
      now: env.now,
      timers: env.timers,
      refreshBeforeMs: options.refreshBeforeMs,
      onRefreshed: (token) => this.#connection.applyToken(token),
      onError: (error) => emit('error', error),
    });
    this.#sessionTokens = new SessionTokens({
      now: env.now,
      timers: env.timers,
      refreshBeforeMs: options.refreshBeforeMs,
      onRefreshed: (sessionId) => {
        if (this.#subscriptions.get(sessionId)) {
          this.#connection.applySessionToken(sessionId);
        } else {
          this.#sessionTokens.delete(sessionId); // the server ended it meanwhile
        }
      },
      onError: (error) => emit('error', error),
    });
    this.#publisher = new Publisher({
      sendFrame: (frame) => this.#connection.sendOnWebSocket(frame),
      http: env.http,
      tokens: this.#tokens,
      timers: env.timers,
      now: env.now,
      random: env.random,
      ackTimeoutMs: env.settings.ackTimeoutMs,
      publishTimeoutMs: env.settings.publishTimeoutMs,
      backoff: env.backoff,
    });
    this.#readMarks = new ReadMarks({
      sendFrame: (frame) => this.#connection.sendOnWebSocket(frame),
      http: env.http,
      tokens: this.#tokens,
      timers: env.timers,
      ackTimeoutMs: env.settings.ackTimeoutMs,
    });
    this.#frames = new FrameDispatcher({ subscriptions: this.#subscriptions, publisher: this.#publisher,
      readMarks: this.#readMarks, emit,
      rereadPresence: (sessionId) => this.#rereadPresence(sessionId) });
    this.#connection = new Connection({
      env,
      tokens: this.#tokens,
      sessionTokens: this.#sessionTokens,
      subscriptions: this.#subscriptions,
      onFrame: (frame) => this.#onFrame(frame),
      onDisconnected: () => {
        this.#publisher.disconnected();
        this.#readMarks.disconnected();
      },
      emit,
    });
    this.#listeners.addFromOptions(options);
  }

  /** The current connection state (a copy). */
  get state() {
    return this.#connection.state;
  }

  /** The transport in use or being tried, or null while idle or closed. */
  get transport() {
    return this.#connection.state.transport;
  }

  /** Starts connecting (again, after `close()` or a stop); subscriptions made before are carried. */
  connect() {
    if (this.#disposed) {
      throw new SwitchboardError('closed', 'the client was closed; create a new one');
    }
    this.#connection.start();
    return this;
  }

  /** Closes the client for good; publishes still in progress fail with `closed`. */
  close() {
    this.#disposed = true;
    this.#connection.stop('closed by the application');
    this.#publisher.close();
  }

  /**
   * Subscribes to a session. Without `fromEventId` it starts live; with it, every event after that eventId is
   * replayed first (`"0"`: the whole retained history). `sessionToken`: a session token granting the session
   * (docs/PROTOCOL.md, Per-session tokens), or a callback `({sessionId, reason}) => jwt` asked before subscribing,
   * ahead of the token's `exp`, and when a reconnect needs a fresh one.
   */
  subscribe(sessionId, { fromEventId, sessionToken } = {}) {
    if (sessionToken !== undefined && typeof sessionToken !== 'function'
        && (typeof sessionToken !== 'string' || sessionToken === '')) {
      throw new TypeError('Switchboard: sessionToken must be a token or a function that returns one');
    }
    const session = this.#subscriptions.add(sessionId, fromEventId);
    if (sessionToken !== undefined) {
      this.#sessionTokens.set(sessionId, sessionToken);
      if (!session) {
        // Subscribed already: the new token (or callback) takes over in place.
        this.#sessionTokens.get(sessionId).then(() => this.#connection.applySessionToken(sessionId),
          (error) => this.#listeners.emit('error', error));
      }
    }
    if (session) {
      this.#subscribeOnConnection(sessionId);
    }
    return this;
  }

  unsubscribe(sessionId) {
    this.#sessionTokens.delete(sessionId);
    if (this.#subscriptions.remove(sessionId)) {
      this.#connection.unsubscribe(sessionId);
    }
    return this;
  }

  /** Subscribes on the open transport, once the session's token (if it has one) is at hand. */
  #subscribeOnConnection(sessionId) {
    if (!this.#sessionTokens.has(sessionId)) {
      this.#connection.subscribe(sessionId, this.#subscriptions.get(sessionId).position);
      return;
    }
    this.#sessionTokens.get(sessionId).then(() => {
      const session = this.#subscriptions.get(sessionId);
      if (session) {
        this.#connection.subscribe(sessionId, session.position);
      }
    }, (error) => this.#listeners.emit('error', error));
  }

  /**
   * A session whose token expired before a fresh one reached the server is subscribed again, from its position,
   * with a token from its callback; any other frame goes to the dispatcher.
   */
  #onFrame(frame) {
    if (frame.type === 'unsubscribed' && frame.code === 'unauthorized' && this.#subscriptions.get(frame.sessionId)
        && this.#sessionTokens.expired(frame.sessionId)) {
      this.#subscribeOnConnection(frame.sessionId);
      return;
    }
    if (frame.type === 'unsubscribed') {
      this.#sessionTokens.delete(frame.sessionId);
    }
    this.#frames.dispatch(frame);
  }

  /** The subscribed session ids. */
  get sessions() {
    return this.#subscriptions.ids;
  }

  /** The eventId a session resumes after (its last delivered event), or null before it has one. */
  position(sessionId) {
    return this.#subscriptions.get(sessionId)?.position ?? null;
  }

  /** Who is present in a subscribed session, as last reported. */
  presence(sessionId) {
    return this.#subscriptions.get(sessionId)?.users ?? [];
  }

  /** How many users are present in a subscribed session (all of them, where `presence()` may list a first page). */
  presenceCount(sessionId) {
    return this.#subscriptions.get(sessionId)?.count ?? 0;
  }

  /**
   * How many anonymous subscribers are present in a subscribed session, by the actor type each declared
   * (`{display: 2, anonymous: 12}`); they are never in `presence()` nor `presenceCount()`.
   */
  anonymousCounts(sessionId) {
    return { ...(this.#subscriptions.get(sessionId)?.anonymous ?? {}) };
  }

  /** Reads a session's presence from the server now (REST), and updates `presence(sessionId)`. */
  async refreshPresence(sessionId) {
    const { users, count, anonymous } = await restPresence(this.#env.http, await this.#tokens.get(), sessionId,
      this.#env.settings.ackTimeoutMs);
    this.#frames.dispatch({ type: 'presence.state', sessionId, users, count, anonymous, polled: true });
    return users;
  }

  /**
   * Reads a session's presence again soon (its list missed users while the server sent counts only). Each client
   * waits a random moment of up to REREAD_JITTER_MS, so that every subscriber of a big session does not ask at once.
   */
  #rereadPresence(sessionId) {
    this.#env.timers.setTimeout(() => {
      if (!this.#disposed && this.#subscriptions.get(sessionId)) {
        this.refreshPresence(sessionId).catch(() => {}); // best effort: the next diff or state corrects it
      }
    }, Math.floor(this.#env.random() * REREAD_JITTER_MS));
  }

  /**
   * Reads one page of a session's stored events over REST (`GET /sessions/{S}/events`); the session need not be
   * subscribed. `after`: the page that follows this position; `before`: the page that ends just below this eventId
   * (scrolling back from the oldest event shown), found from the gapless eventIds; neither: the page from the start.
   * Resolves with `{events, lastEventId, reset?}` as the server answers.
   */
  async history(sessionId, { after, before, limit = HISTORY_PAGE_LIMIT } = {}) {
    const page = historyWindow({ after, before, limit });
    if (page.limit === 0) {
      return { events: [], lastEventId: page.after };
    }
    return restHistory(this.#env.http, await this.#tokens.get(), sessionId, page.after, page.limit,
      this.#env.settings.ackTimeoutMs);
  }

  /** The user's read position in a subscribed session, as the server last reported it; null before it did. */
  readPosition(sessionId) {
    return this.#subscriptions.get(sessionId)?.readEventId ?? null;
  }

  /** The user's delivered position in a subscribed session when it last started (from `replayed`), or null. */
  deliveredPosition(sessionId) {
    return this.#subscriptions.get(sessionId)?.deliveredEventId ?? null;
  }

  /**
   * How many events of a subscribed session this client has received after the user's read position, or null
   * while either is unknown. For sessions not subscribed here, `listSessions()` asks the server.
   */
  unread(sessionId) {
    return this.#subscriptions.get(sessionId)?.unread ?? null;
  }

  /**
   * Marks a session read up to `eventId` (by default the last event this client received there), on the server, for
   * every device of the user. Resolves with the positions in force: `{sessionId, lastEventId, deliveredEventId,
   * readEventId, unread}` (a read position never moves back).
   */
  async markRead(sessionId, eventId = this.position(sessionId)) {
    if (eventId === null || eventId === undefined) {
      throw new TypeError('Switchboard: markRead needs an eventId (the session has no position yet)');
    }
    const positions = await this.#readMarks.markRead(sessionId, eventId);
    const session = this.#subscriptions.get(sessionId);
    if (session) {
      session.setPositions(positions);
      this.#listeners.emit('positions', session.positions);
    }
    return positions;
  }

  /**
   * The user's sessions from the server, with their unread counts: the personal session `user:<sub>`, then
   * `sessionIds` (listed even where the user has no positions yet), then every other session the user has
   * positions in. Each `{sessionId, lastEventId, deliveredEventId, readEventId, unread}`.
   */
  async listSessions({ sessionIds = [] } = {}) {
    return restMySessions(this.#env.http, await this.#tokens.get(), sessionIds, this.#env.settings.ackTimeoutMs);
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
    return this.#connection.sendOnWebSocket({ type: 'signal', sessionId, eventType,
      payload: payload === undefined ? null : payload });
  }

  /** Replaces the token (when the application refreshes it itself); applied to the connection in place. */
  setToken(token) {
    this.#tokens.set(token);
    this.#connection.applyToken(token);
  }

  /**
   * Adds a listener: `event`, `replayed`, `presence`, `state`, `reset`, `signal`, `positions` or `error`. Returns a
   * function that removes it.
   */
  on(type, listener) {
    return this.#listeners.on(type, listener);
  }
}

/** Creates a client; call `connect()` to start. */
export function createClient(options) {
  return new SwitchboardClient(options);
}
