/**
 * @switchboard/client: the JavaScript client for Switchboard (browsers and Node 20+, no dependencies).
 *
 *   import { createClient } from '@switchboard/client';
 *   const client = createClient({ url: 'https://rt.example.com', token: async () => fetchMyToken() });
 *   client.on('event', (e) => console.log(e.sessionId, e.eventId, e.payload));
 *   client.subscribe('poll:42').connect();
 *   await client.publish('poll:42', 'vote', { option: 'b' });
 */
export { SwitchboardClient, createClient } from './client.js';
export { TRANSPORTS } from './transports/index.js';
export { SwitchboardError } from './errors.js';
export { Backoff, backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export { compareEventIds } from './event-ids.js';
export { tokenExpiry, refreshDelay } from './token.js';
export { SseParser } from './sse-parser.js';
