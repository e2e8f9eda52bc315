import { DEFAULT_BACKOFF } from './backoff.js';
import { orderTransports, TRANSPORTS } from './transports/index.js';
import { resolveBaseUrl } from './urls.js';

/** The defaults of the tuning options documented in index.d.ts (ClientOptions). */
const DEFAULTS = Object.freeze({
  fallbackAfter: 2,
  fallbackAfterWorked: 6,
  upgradeProbeMs: 15_000,
  connectTimeoutMs: 10_000,
  pollTimeoutMs: 25_000,
  presencePollMs: 10_000,
  ackTimeoutMs: 10_000,
  publishTimeoutMs: 60_000,
});

/**
 * The client's options checked and completed: the tuning values with their defaults, and the environment (clock,
 * timers, randomness, WebSocket, fetch), which tests replace with fakes. Throws a TypeError for what cannot work.
 */
export function resolveOptions(options = {}) {
  // An option given as undefined means "the default", as it would in a destructuring default.
  const settings = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const baseUrl = resolveBaseUrl(options.url);
  const transports = orderTransports(options.transports ?? TRANSPORTS);
  const timers = options.timers ?? { setTimeout: globalThis.setTimeout.bind(globalThis),
    clearTimeout: globalThis.clearTimeout.bind(globalThis) };
  const fetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetch !== 'function') {
    throw new TypeError('Switchboard: no fetch implementation (pass options.fetch)');
  }
  return {
    settings,
    baseUrl,
    transports,
    timers,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    WebSocket: options.WebSocket ?? globalThis.WebSocket,
    fetch,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    /** What the REST calls need (rest.js). */
    http: { fetch, baseUrl, timers },
  };
}
