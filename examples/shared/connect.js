// Signing in with a development token and opening the one Switchboard client a page uses.
import { createClient } from '/client/index.js';

/**
 * Asks the node for a development token (`POST /dev/token`, offered in dev mode only). A real application gets
 * its tokens from its own backend instead; nothing else in the examples would change.
 *
 * @param {{sub: string, name: string, actorType?: string, sessions: string[], publish: string[], ttlSec?: number}} claims
 */
export async function devToken(claims) {
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(claims),
  });
  if (!response.ok) {
    throw new Error(`the node gave no development token (HTTP ${response.status})`);
  }
  return (await response.json()).token;
}

/**
 * A client signed in with development tokens, which it fetches again ahead of their expiry (on a WebSocket the new
 * token goes in an `auth` frame: the connection stays). `?transport=sse` (or `poll`, `websocket`) forces one
 * transport. `onToken` hears of each token fetched, with the reason.
 */
export function connectClient({ claims, onToken, ...options }) {
  const params = new URLSearchParams(location.search);
  const forced = params.get('transport');
  const client = createClient({
    token: async ({ reason }) => {
      const token = await devToken(claims);
      onToken?.(reason);
      return token;
    },
    ...(forced ? { transports: [forced] } : {}),
    ...options,
  });
  return client;
}
