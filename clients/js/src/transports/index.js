import { PollTransport } from './poll.js';
import { SseTransport } from './sse.js';
import { WebSocketTransport } from './websocket.js';

/** Transports from best to last resort: the fallback order. */
export const TRANSPORTS = Object.freeze(['websocket', 'sse', 'poll']);

const TRANSPORT_CLASSES = { websocket: WebSocketTransport, sse: SseTransport, poll: PollTransport };

/**
 * A new transport of this name for one connection attempt (transports are not reused).
 *
 * @param {'websocket'|'sse'|'poll'} name
 * @param {import('./context.js').TransportContext} context
 */
export function createTransport(name, context) {
  return new TRANSPORT_CLASSES[name](context);
}

/** The transports in fallback order (best first, whatever order they came in); unknown names are refused. */
export function orderTransports(names) {
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => TRANSPORTS.includes(n))) {
    throw new TypeError(`Switchboard: transports must be a non-empty list of ${TRANSPORTS.join(', ')}`);
  }
  return TRANSPORTS.filter((name) => names.includes(name));
}
