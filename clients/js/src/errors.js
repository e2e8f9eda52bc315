/**
 * Errors the client reports: the server's codes from docs/PROTOCOL.md, Errors and close codes (`bad_request`,
 * `unauthorized`, `forbidden`, `not_found`, `too_large`, `rate_limited`, `unavailable`, `internal`) plus the
 * client's own: `network` (no answer), `timeout`, `disconnected` (the connection went away before the answer),
 * `closed` (the client was closed).
 */
export class SwitchboardError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{status?: number, retryAfterMs?: number, requestId?: string|number, sessionId?: string, cause?: unknown}} [details]
   */
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SwitchboardError';
    this.code = code;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
    this.sessionId = details.sessionId;
  }

  /** Whether the same request may succeed later: the server or the network was in the way, not the request. */
  get retryable() {
    return RETRYABLE.has(this.code);
  }
}

const RETRYABLE = new Set(['network', 'timeout', 'disconnected', 'unavailable', 'internal', 'rate_limited']);

const CODE_BY_STATUS = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 413: 'too_large',
  429: 'rate_limited', 500: 'internal', 503: 'unavailable',
};

/** The error an HTTP answer stands for: the body's `{"error":{code,message}}` when present, else its status. */
export async function errorFromResponse(response) {
  let code = CODE_BY_STATUS[response.status] ?? (response.status >= 500 ? 'unavailable' : 'bad_request');
  let message = `HTTP ${response.status}`;
  try {
    const body = await response.json();
    if (body && body.error && typeof body.error.code === 'string') {
      code = body.error.code;
      message = body.error.message ?? message;
    }
  } catch {
    // Not JSON (a proxy's page, say): the status alone tells what happened.
  }
  return new SwitchboardError(code, message, { status: response.status, retryAfterMs: retryAfterMs(response) });
}

function retryAfterMs(response) {
  const header = response.headers?.get?.('Retry-After');
  const seconds = header == null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** A fetch that threw: aborted by our own timer, or no answer at all. */
export function errorFromFetchFailure(failure, timedOut) {
  return timedOut
    ? new SwitchboardError('timeout', 'the server did not answer in time', { cause: failure })
    : new SwitchboardError('network', `the server could not be reached: ${failure?.message ?? failure}`,
      { cause: failure });
}
