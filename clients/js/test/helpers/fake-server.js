/**
 * A fake Switchboard node for unit tests: a WebSocket class and a fetch function wired to test code, so the client's
 * transports run for real (frames, SSE parsing, polling) without a server.
 *
 * Every frame the client sends on a fake WebSocket is validated against its schema in docs/asyncapi.yaml
 * (frame-schemas.js): one the spec does not allow fails the test.
 */
import { recordClientFrame } from './frame-schemas.js';

export class FakeServer {
  /** every WebSocket the client opened, in order */
  sockets = [];
  /** every fetch the client made, in order: {url, path, params, headers, method, body} */
  requests = [];
  /** how fetches are answered: (request) => Response | Promise<Response>; throw for a network failure */
  http = () => new Response('{"error":{"code":"not_found","message":"no route"}}', { status: 404 });
  /** how new sockets are treated: (socket) => void; default: accept */
  onSocket = (socket) => socket.accept();

  constructor() {
    const server = this;
    this.WebSocket = class FakeWebSocket {
      static CONNECTING = 0;
      static OPEN = 1;
      static CLOSING = 2;
      static CLOSED = 3;
      readyState = 0;
      onopen = null;
      onmessage = null;
      onclose = null;
      onerror = null;

      constructor(url) {
        this.url = url;
        this.peer = new FakeSocketPeer(this);
        server.sockets.push(this.peer);
        queueMicrotask(() => server.onSocket(this.peer));
      }

      send(data) {
        if (this.readyState !== 1) {
          throw new Error('InvalidStateError: not open');
        }
        recordClientFrame(JSON.parse(data));
        this.peer.received.push(JSON.parse(data));
        this.peer.onFrame?.(JSON.parse(data));
      }

      close(code = 1005, reason = '') {
        if (this.readyState >= 2) {
          return;
        }
        this.readyState = 2;
        // As in a browser, the close event comes after close() returns (on the next turn, not after a delay).
        setImmediate(() => this.peer.closed(code, reason));
      }
    };
    this.fetch = async (url, init = {}) => {
      const parsed = new URL(url);
      const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const request = {
        url, path: parsed.pathname, params: parsed.searchParams, headers, method: init.method ?? 'GET',
        body: init.body ? JSON.parse(init.body) : undefined, signal: init.signal,
      };
      this.requests.push(request);
      if (init.signal?.aborted) {
        throw new DOMException('aborted', 'AbortError');
      }
      return await new Promise((resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        Promise.resolve().then(() => this.http(request)).then(resolve, reject);
      });
    };
  }

  /** The latest socket, and the ones still open. */
  get socket() {
    return this.sockets.at(-1);
  }
}

/** The server's end of one fake WebSocket. */
export class FakeSocketPeer {
  /** frames the client sent, parsed */
  received = [];
  onFrame = null;
  isClosed = false;

  constructor(ws) {
    this.ws = ws;
  }

  accept() {
    this.ws.readyState = 1;
    this.ws.onopen?.({});
  }

  /** Accepts and answers the auth frame with `connected` (heartbeatSec as given). */
  acceptAndConnect(heartbeatSec = 30) {
    this.onFrame = (frame) => {
      if (frame.type === 'auth' && !this.connected) {
        this.connected = true;
        this.send({ type: 'connected', connectionId: 'c1', userId: 'ada', heartbeatSec });
      }
    };
    this.accept();
  }

  /** The handshake failed (a proxy refused the upgrade): error, then close 1006. */
  refuse() {
    this.ws.readyState = 3;
    this.ws.onerror?.({});
    this.closed(1006, '');
  }

  send(frame) {
    if (!this.isClosed) {
      this.ws.onmessage?.({ data: JSON.stringify(frame) });
    }
  }

  /** The server closes with a code. */
  close(code, reason = '') {
    this.closed(code, reason);
  }

  closed(code, reason) {
    if (this.isClosed) {
      return;
    }
    this.isClosed = true;
    this.ws.readyState = 3;
    this.ws.onclose?.({ code, reason });
  }

  framesOfType(type) {
    return this.received.filter((f) => f.type === type);
  }
}

/** A text/event-stream response the test writes to: `frame()` writes a data frame, `end()` ends it. */
export function sseStream(signal) {
  let controller;
  const encoder = new TextEncoder();
  const body = new ReadableStream({ start(c) { controller = c; } });
  const stream = {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    open: true,
    write(text) {
      if (stream.open) {
        controller.enqueue(encoder.encode(text));
      }
    },
    frame(frame, id) {
      stream.write(`${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(frame)}\n\n`);
    },
    end() {
      if (stream.open) {
        stream.open = false;
        controller.close();
      }
    },
  };
  signal?.addEventListener('abort', () => {
    if (stream.open) {
      stream.open = false;
      controller.error(new DOMException('aborted', 'AbortError'));
    }
  });
  return stream;
}

export function json(body, status = 200, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function errorResponse(status, code, headers = {}) {
  return json({ error: { code, message: code } }, status, headers);
}

/** The node's `403` for sessions the token does not allow, naming them (docs/openapi.yaml, ReadForbidden). */
export function sessionsForbidden(sessionIds) {
  return json({ error: { code: 'forbidden', message: 'the token does not allow this session', retryable: false,
    sessionIds } }, 403);
}

/** An unsigned JWT-shaped token with these claims (the client only reads `exp`). */
export function fakeJwt(claims) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.c2ln`;
}

export function eventFrame(sessionId, eventId, payload = { n: Number(eventId) }) {
  return {
    type: 'event', eventId: String(eventId), eventType: 'test', timestamp: '2026-11-22T10:00:00.000Z',
    sessionId, userId: 'ada', payload,
  };
}

/** Waits until `predicate()` is truthy (polling), failing after `timeoutMs`. */
export async function waitFor(predicate, timeoutMs = 2000, what = 'condition') {
  const start = Date.now();
  for (;;) {
    const value = predicate();
    if (value) {
      return value;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Client options for tests: fast backoff, no jitter surprises, the fake server's transports. */
export function testOptions(server, extra = {}) {
  return {
    url: 'http://switchboard.test',
    token: fakeJwt({ sub: 'ada', exp: Math.floor(Date.now() / 1000) + 3600 }),
    WebSocket: server.WebSocket,
    fetch: server.fetch,
    backoff: { baseMs: 4, maxMs: 40 },
    random: () => 0.5,
    watchBrowser: false,
    ...extra,
  };
}
