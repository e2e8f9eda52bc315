// Types of @switchboard/client: what a client is configured with (createClient's options, and those of subscribe,
// publish and history), re-exported by index.d.ts.
import type { EventPosition } from './frames.js';
import type {
  EventId,
  PositionsChange,
  PresenceChange,
  ReplayedInfo,
  ResetInfo,
  SessionId,
  SignalMessage,
  StateChange,
  SwitchboardError,
  SwitchboardEvent,
  TransportName,
} from './index.js';

/** Why the token callback is called. */
export interface TokenRequest {
  /** `initial`: none yet, or the server refused the last one (4001 / 401); `refresh`: ahead of `exp`. */
  reason: 'initial' | 'refresh' | 'unauthorized';
}

export type TokenProvider = (request: TokenRequest) => string | Promise<string>;

/** A WebSocket constructor with the browser's interface (the browser's own, or Node's `ws` package). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ClientOptions {
  /** The node's base URL, e.g. `https://rt.example.com`. Default: the page's own origin. */
  url?: string;
  /**
   * A JWT, or a callback that returns one (called on connect, after the server refuses a token, and ahead of
   * `exp` to refresh it). With a fixed string, a refused token stops the client until `setToken()` + `connect()`.
   */
  token: string | TokenProvider;
  /** Which transports to use, tried best first (default: all three). One entry forces that transport. */
  transports?: TransportName[];
  onEvent?: (event: SwitchboardEvent) => void;
  onReplayed?: (replayed: ReplayedInfo) => void;
  onPresence?: (change: PresenceChange) => void;
  onState?: (change: StateChange) => void;
  onReset?: (reset: ResetInfo) => void;
  onSignal?: (signal: SignalMessage) => void;
  /** The user's read and delivered positions in a subscribed session changed (see `ListenerMap.positions`). */
  onPositions?: (positions: PositionsChange) => void;
  /** Errors the application should know about: refused tokens or sessions, failed token refreshes, error frames. */
  onError?: (error: SwitchboardError) => void;

  /** A WebSocket implementation (Node 20 has none: pass `ws`'s). Default: globalThis.WebSocket. */
  WebSocket?: WebSocketConstructor;
  /** A fetch implementation (SSE, long polling, REST). Default: globalThis.fetch. */
  fetch?: typeof fetch;

  /**
   * Reconnect backoff with full jitter: attempt n waits random [0, min(maxMs, baseMs * 2^n)). Default 500 / 30000.
   * After an open connection drops, the ceiling stays at `recoveryMaxMs` (2000) for `recoveryWindowMs` (60000), so
   * the client is back within about 2 s of a restarted node; a second drop in a row of a connection up less than
   * 5 s ends that early.
   */
  backoff?: { baseMs?: number; maxMs?: number; recoveryMaxMs?: number; recoveryWindowMs?: number };
  /** Failed connection attempts before moving to the next transport. Default 2. */
  fallbackAfter?: number;
  /** The same for a transport that has worked before on this client (an outage, not a proxy). Default 6. */
  fallbackAfterWorked?: number;
  /** While on a fallback, how often (about) to try WebSocket in the background. Default 15000. */
  upgradeProbeMs?: number;
  /** How long a connection may take to reach `connected`. Default 10000. */
  connectTimeoutMs?: number;
  /**
   * After a ping on a quiet WebSocket, how long to wait for any frame before reconnecting. Default: the server's
   * `heartbeatSec` (5 s by default), so a silently dropped connection is noticed within two intervals.
   */
  pongTimeoutMs?: number;
  /** How long a long poll waits on the server. Default 25000. */
  pollTimeoutMs?: number;
  /** While long polling, how often presence is read over REST. Default 10000. */
  presencePollMs?: number;
  /** How long one publish attempt waits for its ack. Default 10000. */
  ackTimeoutMs?: number;
  /** How long a publish keeps retrying before it fails. Default 60000. */
  publishTimeoutMs?: number;
  /** Refresh the token this long before `exp` (at most a quarter of its remaining life early). Default 60000. */
  refreshBeforeMs?: number;
  /** Reconnect at once on the browser's `online` and page-visible events. Default true. */
  watchBrowser?: boolean;

  /** For tests: the clock, timers and random source the client uses. */
  now?: () => number;
  timers?: Timers;
  random?: () => number;
}

export interface SubscribeOptions {
  /** Replay every event after this eventId first (`0`: the whole retained history). Default: live from now. */
  fromEventId?: EventPosition | number;
  /**
   * A session token granting this session (docs/PROTOCOL.md, Per-session tokens), or a callback for one: asked before
   * subscribing, ahead of the token's `exp` (as the connection token is refreshed), and when a (re)connection needs
   * a fresh one. Sent in the WebSocket `subscribe` frame, or as `sessionToken` on SSE and long polls.
   */
  sessionToken?: string | SessionTokenCallback;
}

/** Returns a session token (a JWT with `sub`, `exp` and `session`) from the application's backend. */
export type SessionTokenCallback = (context: {
  sessionId: SessionId;
  /** `subscribe`: first use; `connect`: a (re)connection needs one; `refresh`: ahead of `exp`. */
  reason: 'subscribe' | 'connect' | 'refresh';
}) => string | Promise<string>;

export interface PublishOptions {
  /** The key that makes retries safe; default: a random one per publish call. */
  idempotencyKey?: string;
  /** Overall time for this publish, retries included. Default: `publishTimeoutMs`. */
  timeoutMs?: number;
  /**
   * Called when an attempt failed and another follows after `delayMs` (a `rate_limited` refusal waits for its
   * `Retry-After`), so an application can say why a publish is slow instead of failing silently later.
   */
  onRetry?: (retry: { error: SwitchboardError; delayMs: number }) => void;
}

export interface HistoryOptions {
  /** The page after this position (default "0": from the start). */
  after?: EventPosition | number;
  /** Instead: the page that ends just below this eventId (scrolling back), computed from the gapless eventIds. */
  before?: EventId | number;
  /** 1-1000, default 100. */
  limit?: number;
}
