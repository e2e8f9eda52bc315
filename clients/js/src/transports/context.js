/**
 * What every transport is given by the client (one transport object per connection attempt; it is not reused):
 *
 * @typedef {object} TransportContext
 * @property {string} baseUrl
 * @property {Function} [WebSocket]
 * @property {typeof fetch} fetch
 * @property {{setTimeout: Function, clearTimeout: Function}} timers
 * @property {() => number} now
 * @property {() => string} token the token in force
 * @property {(sessionId: string) => (string|null)} sessionToken the session token in force for a session, or null
 *   (docs/PROTOCOL.md, Per-session tokens)
 * @property {() => Array<{sessionId: string, position: string|null}>} sessions the subscriptions and where to resume
 * @property {() => (string|null)} fallbackFrom the transport the client changed from, for the first request of this
 *   one (docs/PROTOCOL.md, Transport history), or null
 * @property {{connectTimeoutMs: number, pongTimeoutMs?: number, pollTimeoutMs: number, presencePollMs: number}} options
 * @property {(info: {heartbeatSec?: number, connectionId?: string, userId?: string}) => void} onOpen
 * @property {(frame: object) => void} onFrame
 * @property {(info: CloseInfo) => void} onClose called once, unless the client itself closed the transport
 *
 * @typedef {object} CloseInfo
 * @property {boolean} wasOpen whether the transport reached `connected` before it ended
 * @property {number} code the WebSocket close code or HTTP status (0 when there was none)
 * @property {string} reason
 * @property {import('../errors.js').SwitchboardError|null} error the server's verdict when it gave one
 */

/** The WebSocket close codes of docs/PROTOCOL.md (Errors and close codes) that change what the client does next. */
export const CLOSE = Object.freeze({
  NORMAL: 1000,
  UNAUTHORIZED: 4001,
  FORBIDDEN: 4003,
  RATE_LIMITED: 4008,
  TRY_AGAIN_LATER: 1013,
  TERMINATED: 4010,
});
