// Types of @switchboard/client. The wire contract behind them is docs/PROTOCOL.md in the Switchboard repository.

// The frames themselves, generated from docs/asyncapi.yaml (`npm run generate:types`): ConnectedFrame, EventFrame, ...,
// PublishFrame, ..., and the unions ServerFrame and ClientFrame. The client-level types below that mirror frames are
// checked against them by test/frame-types.test.js (test/types/frames-agree.ts).
import type { ClientOptions, HistoryOptions, PublishOptions, SubscribeOptions } from './client-options.js';
import type { EventPosition, ResetReason, WireErrorCode, WireEventId, WireSessionId } from './frames.js';
export * from './frames.js';

/** How the client reaches the node, best first: the fallback order. */
export type TransportName = 'websocket' | 'sse' | 'poll';

export const TRANSPORTS: readonly TransportName[];

/** A session id: 1-128 characters of [A-Za-z0-9._:-]. */
export type SessionId = WireSessionId;

/** The decimal string of an event's sequence number in its session ("1", "2", ...). */
export type EventId = WireEventId;

/** A persisted event, exactly as the server sends it. */
export interface SwitchboardEvent<P = unknown> {
  type: 'event';
  eventId: EventId;
  eventType: string;
  /** ISO-8601 UTC with milliseconds. */
  timestamp: string;
  sessionId: SessionId;
  /** The publishing user, or null for a server API-key publish without userId. */
  userId: string | null;
  payload: P;
}

/** A present user, as the server sends it (presence frames and REST): `name` and `actorType` are always there. */
export interface PresenceUser {
  userId: string;
  /** The token's `name` claim, or null when it has none. */
  name: string | null;
  /** The token's `actorType` claim (`presenter`, `participant`, `display`, ...), or null when it has none. */
  actorType: string | null;
}

export interface PresenceChange {
  sessionId: SessionId;
  /**
   * `state`: the list (after subscribing, when polled or refreshed, and read again by the client itself after counts
   * only); `join` / `leave`: one user's first / last connection (the server reports them in batches, a
   * `presence.diff` every 100 ms at most; each is reported on its own, leaves first); `count`: the session has more
   * users than the server names (`SB_PRESENCE_BROADCAST_MAX`, 1000 by default), so only how many joined and left
   * is known, and `users` is empty until users are named again; also when only anonymous subscribers came or went.
   */
  action: 'state' | 'join' | 'leave' | 'count';
  /** The user who joined or left (join / leave only). */
  user?: PresenceUser;
  /**
   * Everyone present after this change, as far as the client knows: the first page of 100 for a big session, plus
   * the joins since (see `count`); for a join or leave, the list after the whole batch it came in; empty for `count`.
   */
  users: PresenceUser[];
  /** How many users are present, each counted once (anonymous subscribers are not users). */
  count: number;
  /** How many anonymous subscribers are present after this change, by actor type: `{display: 2}`, `{}` for none. */
  anonymous: Record<string, number>;
  /** How many users joined in the batch (count only). */
  joined?: number;
  /** How many users left in the batch (count only). */
  left?: number;
}

/** A subscription is in place: everything up to `lastEventId` has been delivered (or was before a live start). */
export interface ReplayedInfo {
  sessionId: SessionId;
  /**
   * Where live delivery continues: the session's head for a live start, else the position reached by the replay.
   * Reported after each subscribe on WebSocket and SSE, again after each reconnect; long polling reports it for a
   * live start only.
   */
  lastEventId: EventPosition;
}

export interface ResetInfo {
  sessionId: SessionId;
  /** Why the position could not be resumed: reload the application's state for this session. */
  reason: ResetReason;
  /** Live events continue after this position (the session's head; "0" for a session with no event). */
  lastEventId: EventPosition;
}

/**
 * A user's positions in one session (docs/PROTOCOL.md, Read positions), as `markRead()` and `listSessions()` answer:
 * the session's head, the highest eventId sent to any of the user's connections, how far the user has read ("0" when
 * never set), and how many events follow that.
 */
export interface SessionPositions {
  sessionId: SessionId;
  lastEventId: EventPosition;
  deliveredEventId: EventPosition;
  readEventId: EventPosition;
  unread: number;
}

/**
 * A subscribed session's positions as this client knows them, reported by the `positions` listener when a
 * `replayed` brings them and when `markRead()` moves them. `lastEventId` is the client's own position there.
 */
export interface PositionsChange {
  sessionId: SessionId;
  lastEventId: EventPosition | null;
  readEventId: EventPosition | null;
  deliveredEventId: EventPosition | null;
  /** Events received here after the read position; null while either is unknown. */
  unread: number | null;
}

/** An ephemeral message from another connection, exactly as the server sends it. */
export interface SignalMessage<P = unknown> {
  type: 'signal';
  sessionId: SessionId;
  /** The sending user. */
  userId: string;
  eventType: string;
  payload: P;
}

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface StateChange {
  state: ConnectionState;
  /** The transport in use or about to be tried; null when idle or closed. */
  transport: TransportName | null;
  /** True while on a transport below WebSocket (SSE or long polling) because WebSocket would not work. */
  fallback: boolean;
  /** How many connection attempts this client has made. */
  attempt: number;
  /** `reconnecting`: how long until the next attempt. */
  retryInMs?: number;
  /**
   * Why: `fallback` (moving down a transport), `upgrade` (back to WebSocket), `online` / `visible` (the browser
   * came back), or, for `closed`, a description such as `forbidden`.
   */
  reason?: string;
  /** What went wrong, when something did. */
  error?: SwitchboardError;
  /** `connected`: the server's connection id and the token's user (null for an anonymous subscriber). */
  connectionId?: string;
  userId?: string | null;
}

/** The codes of SwitchboardError: the server's (`error` frames, REST errors), then the client's own. */
export type ErrorCode = ServerErrorCode | ClientErrorCode;

/** The server's error codes (`error` frames and REST errors): the catalogue of docs/asyncapi.yaml. */
export type ServerErrorCode = WireErrorCode;

/** Error codes the client itself reports (never sent by the server). */
export type ClientErrorCode =
  /** client side: no answer from the server */
  | 'network'
  /** client side: no answer in time */
  | 'timeout'
  /** client side: the connection closed before the answer */
  | 'disconnected'
  /** client side: the client was closed */
  | 'closed'
  /** an operator ended the connection (close code 4010): the client stopped and does not reconnect by itself */
  | 'terminated';

export class SwitchboardError extends Error {
  constructor(code: ErrorCode | string, message: string, details?: {
    status?: number; retryAfterMs?: number; requestId?: string | number; sessionId?: string; sessionIds?: string[];
    retryable?: boolean; cause?: unknown;
  });
  readonly name: 'SwitchboardError';
  readonly code: ErrorCode | string;
  /** HTTP status or WebSocket close code, when the error came with one. */
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly requestId?: string | number;
  /**
   * For a refused or ended subscription: the session it was for. A session the token no longer allows is reported
   * so on every transport (an `unsubscribed` frame on WebSocket; a `403` naming it when an SSE stream or a long poll
   * is reopened with a narrower token), and the client drops it.
   */
  readonly sessionId?: string;
  /** For an HTTP `403` that refuses sessions: each one the token does not allow. */
  readonly sessionIds?: string[];
  /**
   * Whether the same request may succeed later: the server's `retryable` when it sent one, else true for network,
   * timeout, disconnected, unavailable, internal and rate_limited.
   */
  readonly retryable: boolean;
}

// What a client is configured with: ClientOptions, TokenProvider, SubscribeOptions, PublishOptions, HistoryOptions, ...
export * from './client-options.js';

export interface HistoryPage {
  /** The events, oldest first. */
  events: SwitchboardEvent[];
  /** The position to ask from next (the last event's eventId, or `after` when the page is empty). */
  lastEventId: EventPosition;
  /** Present when the position cannot be served: `lastEventId` inside is the head. */
  reset?: { reason: ResetReason; lastEventId: EventPosition };
}

export interface PublishResult {
  eventId: EventId;
  timestamp: string;
  /** True when the server already had this idempotency key (REST's 200, a WebSocket ack's `duplicate`). */
  duplicate: boolean;
}

export interface ListenerMap {
  event: SwitchboardEvent;
  replayed: ReplayedInfo;
  presence: PresenceChange;
  state: StateChange;
  reset: ResetInfo;
  signal: SignalMessage;
  positions: PositionsChange;
  error: SwitchboardError;
}

export class SwitchboardClient {
  constructor(options: ClientOptions);
  /** The current connection state. */
  readonly state: StateChange;
  /** The transport in use or being tried. */
  readonly transport: TransportName | null;
  /** The subscribed session ids. */
  readonly sessions: SessionId[];

  /** Starts connecting (and again after a stop such as 4003); subscriptions are carried. */
  connect(): this;
  /** Closes for good: publishes in progress fail with `closed`; a closed client cannot connect again. */
  close(): void;
  /**
   * Subscribes (also before `connect()`); each session resumes from its own last eventId after any drop. Subscribing
   * again to a subscribed session with a `sessionToken` only replaces its session token.
   */
  subscribe(sessionId: SessionId, options?: SubscribeOptions): this;
  unsubscribe(sessionId: SessionId): this;
  /** The eventId a session resumes after, or null before it has one. */
  position(sessionId: SessionId): EventId | null;
  /** Who is present in a subscribed session, as last reported (none while the server sends counts only). */
  presence(sessionId: SessionId): PresenceUser[];
  /** How many users are present in a subscribed session (`presence()` may list only the first page). */
  presenceCount(sessionId: SessionId): number;
  /** How many anonymous subscribers are present in a subscribed session, by actor type (`{display: 2}`). */
  anonymousCounts(sessionId: SessionId): Record<string, number>;
  /** Reads presence over REST now. */
  refreshPresence(sessionId: SessionId): Promise<PresenceUser[]>;
  /**
   * Stores an event; resolves once it is durably stored. Retries (network failures, timeouts, 5xx, 429, a lost
   * connection) carry the same idempotency key, so the event is stored once. Rejects with a SwitchboardError.
   */
  publish<P = unknown>(sessionId: SessionId, eventType: string, payload?: P, options?: PublishOptions):
    Promise<PublishResult>;
  /**
   * Reads one page of a session's stored events over REST (`GET /sessions/{S}/events`); the session need not be
   * subscribed. Rejects with a SwitchboardError.
   */
  history(sessionId: SessionId, options?: HistoryOptions): Promise<HistoryPage>;
  /** An ephemeral message (not stored, at most once); WebSocket only: false when it could not be sent. */
  signal<P = unknown>(sessionId: SessionId, eventType: string, payload?: P): boolean;
  /** The user's read position in a subscribed session as the server last reported it, or null. */
  readPosition(sessionId: SessionId): EventPosition | null;
  /** The user's delivered position in a subscribed session when it last started (from `replayed`), or null. */
  deliveredPosition(sessionId: SessionId): EventPosition | null;
  /** Events of a subscribed session received here after the read position, or null while unknown. */
  unread(sessionId: SessionId): number | null;
  /**
   * Marks a session read up to `eventId` (default: the last event received here) for every device of the user: a
   * `read` frame on a WebSocket, REST otherwise. A read position never moves back; resolves with those in force.
   */
  markRead(sessionId: SessionId, eventId?: EventPosition | number): Promise<SessionPositions>;
  /**
   * The user's sessions from the server with their unread counts: `user:<sub>` first, then `sessionIds` (listed
   * even without positions), then every other session the user has positions in.
   */
  listSessions(options?: { sessionIds?: SessionId[] }): Promise<SessionPositions[]>;
  /** Replaces the token; on a WebSocket it is sent in an `auth` frame, SSE and long polls reopen with it. */
  setToken(token: string): void;
  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof ListenerMap>(type: K, listener: (value: ListenerMap[K]) => void): () => void;
}

export function createClient(options: ClientOptions): SwitchboardClient;

// The building blocks (backoff, eventId comparison, token expiry, the SSE parser), exported for reuse and tests.
export * from './building-blocks.js';
