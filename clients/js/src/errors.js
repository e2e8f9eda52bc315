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
   * @param {{status?: number, retryAfterMs?: number, requestId?: string|number, sessionId?: string,
   *   sessionIds?: string[], retryable?: boolean, cause?: unknown}} [details] `retryable`: the server's verdict,
   *   when it gave one; `sessionIds`: the sessions a `403` says the token does not allow
   */
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SwitchboardError';
    this.code = code;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
    this.sessionId = details.sessionId;
    this.sessionIds = details.sessionIds;
    this.#retryable = typeof details.retryable === 'boolean' ? details.retryable : undefined;
  }

  #retryable;

  /**
   * Whether the same request may succeed later: the server says so in its error frames and bodies (`retryable`);
   * for the client's own codes, and a server that did not say, the network or the server was in the way.
   */
  get retryable() {
    return this.#retryable ?? CLIENT_RETRYABLE.has(this.code);
  }
}

/** Codes that may succeed on a retry when no server said otherwise. */
const CLIENT_RETRYABLE = new Set(['network', 'timeout', 'disconnected', 'unavailable', 'internal', 'rate_limited']);

/** The error an `error` frame stands for. */
export function errorFromFrame(frame, fallbackMessage, details = {}) {
  return new SwitchboardError(frame.code ?? 'internal', frame.message ?? fallbackMessage,
    { ...details, requestId: frame.requestId, retryable: frame.retryable });
}

const CODE_BY_STATUS = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 413: 'too_large',
  429: 'rate_limited', 500: 'internal', 503: 'unavailable',
};

/**
 * The error an HTTP answer stands for: the body's `{"error":{code,message,retryable}}` when present, else its status;
 * with the `sessionIds` a `403` names (the sessions the token does not allow).
 */
export async function errorFromResponse(response) {
  let code = CODE_BY_STATUS[response.status] ?? (response.status >= 500 ? 'unavailable' : 'bad_request');
  let message = `HTTP ${response.status}`;
  let retryable;
  let sessionIds;
  try {
    const body = await response.json();
    if (body && body.error && typeof body.error.code === 'string') {
      code = body.error.code;
      message = body.error.message ?? message;
      retryable = body.error.retryable;
      if (Array.isArray(body.error.sessionIds) && body.error.sessionIds.every((id) => typeof id === 'string')) {
        sessionIds = body.error.sessionIds;
      }
    }
  } catch {
    // Not JSON (a proxy's page, say): the status alone tells what happened.
  }
  return new SwitchboardError(code, message,
    { status: response.status, retryAfterMs: retryAfterMs(response), retryable, sessionIds });
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
