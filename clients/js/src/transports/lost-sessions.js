/**
 * Sessions a refreshed token no longer allows, on the HTTP transports. A WebSocket hears of them in place (an
 * `unsubscribed` frame per session); an SSE stream or a long poll carries its token only when it is (re)opened, so
 * the server refuses the reopened request with a `403` whose body names them in `sessionIds` (docs/PROTOCOL.md,
 * Expiry and refresh). The transport then reports each one as the `unsubscribed` frame a WebSocket would have
 * received, so the client drops it and tells the application the same way, and goes on with the others.
 */

/**
 * The sessions of `held` that `error` says the token does not allow: those a `403 forbidden` names. Empty for any
 * other error, and for a 403 that names none of them (an origin refused, an older node), which stops the client as
 * before rather than reopen the same request forever.
 *
 * @param {import('../errors.js').SwitchboardError} error
 * @param {string[]} held the sessions of the refused request
 */
export function lostSessions(error, held) {
  if (error?.code !== 'forbidden' || !Array.isArray(error.sessionIds)) {
    return [];
  }
  return held.filter((sessionId) => error.sessionIds.includes(sessionId));
}

/**
 * Reports each lost session to the client as an `unsubscribed` frame.
 *
 * @param {import('./context.js').TransportContext} ctx
 * @param {string[]} sessionIds
 * @param {import('../errors.js').SwitchboardError} error
 */
export function reportLost(ctx, sessionIds, error) {
  for (const sessionId of sessionIds) {
    ctx.onFrame({ type: 'unsubscribed', sessionId, code: error.code, message: error.message });
  }
}
