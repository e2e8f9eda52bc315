import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from '../src/index.js';
import { FakeClock } from './helpers/fake-clock.js';
import { errorResponse, FakeServer, fakeJwt, json, testOptions, waitFor } from './helpers/fake-server.js';

/** A REST publish endpoint that stores each idempotencyKey once, failing the attempts the test lines up. */
function restNode(failures = []) {
  const server = new FakeServer();
  const stored = new Map();
  const attempts = [];
  server.http = (request) => {
    if (request.method !== 'POST') {
      return errorResponse(404, 'not_found');
    }
    attempts.push(request.body);
    const failure = failures.shift();
    if (failure === 'network') {
      throw new TypeError('fetch failed');
    }
    if (failure === 'stored-but-lost') {
      stored.set(request.body.idempotencyKey, String(stored.size + 1));
      throw new TypeError('socket hang up');
    }
    if (failure) {
      return failure();
    }
    const key = request.body.idempotencyKey;
    const duplicate = stored.has(key);
    if (!duplicate) {
      stored.set(key, String(stored.size + 1));
    }
    return json({ eventId: stored.get(key), timestamp: '2026-11-22T10:00:00.000Z' }, duplicate ? 200 : 201);
  };
  return { server, stored, attempts };
}

test('a publish whose answer was lost is retried with the same idempotency key and stored once', async () => {
  const node = restNode(['network', 'stored-but-lost', () => errorResponse(503, 'unavailable')]);
  const clock = new FakeClock();
  const client = createClient(testOptions(node.server, clock.options));
  const result = await clock.drive(client.publish('s', 'vote', { option: 'b' }));
  assert.equal(node.attempts.length, 4);
  assert.equal(new Set(node.attempts.map((a) => a.idempotencyKey)).size, 1, 'one key for every attempt');
  assert.match(node.attempts[0].idempotencyKey, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(node.stored.size, 1, 'stored once');
  assert.deepEqual(result, { eventId: '1', timestamp: '2026-11-22T10:00:00.000Z', duplicate: true });
  client.close();
});

test('each publish gets its own key; the application may choose it', async () => {
  const node = restNode();
  const client = createClient(testOptions(node.server));
  await client.publish('s', 'a', 1);
  await client.publish('s', 'b', 2, { idempotencyKey: 'order-77' });
  await client.publish('s', 'b', 2, { idempotencyKey: 'order-77' });
  assert.equal(node.attempts[2].idempotencyKey, 'order-77');
  assert.notEqual(node.attempts[0].idempotencyKey, node.attempts[1].idempotencyKey);
  assert.equal(node.stored.size, 2);
  client.close();
});

test('a request the server refuses is not retried', async () => {
  const node = restNode([() => errorResponse(400, 'bad_request'), () => errorResponse(403, 'forbidden')]);
  const client = createClient(testOptions(node.server));
  await assert.rejects(client.publish('s', 'x', null), { code: 'bad_request' });
  await assert.rejects(client.publish('s', 'x', null), { code: 'forbidden', status: 403 });
  assert.equal(node.attempts.length, 2);
  client.close();
});

test('429 waits at least Retry-After before the retry', async () => {
  const node = restNode([() => errorResponse(429, 'rate_limited', { 'Retry-After': '0.05' })]);
  const clock = new FakeClock();
  const client = createClient(testOptions(node.server, clock.options));
  const start = clock.now();
  const retries = [];
  await clock.drive(client.publish('s', 'x', null, { onRetry: (retry) => retries.push(retry) }));
  assert.ok(clock.now() - start >= 50, `waited ${clock.now() - start} ms`);
  assert.equal(node.attempts.length, 2);
  assert.equal(retries.length, 1, 'the application heard of the one retry');
  assert.equal(retries[0].error.code, 'rate_limited');
  assert.ok(retries[0].delayMs >= 50, `announced a wait of ${retries[0].delayMs} ms`);
  client.close();
});

test('401 on publish asks the token callback once, then retries', async () => {
  const node = restNode([() => errorResponse(401, 'unauthorized')]);
  let tokens = 0;
  const client = createClient(testOptions(node.server, {
    token: () => fakeJwt({ sub: 'ada', n: ++tokens, exp: Date.now() / 1000 + 3600 }),
  }));
  await client.publish('s', 'x', null);
  assert.equal(tokens, 2);
  client.close();
});

test('retries stop at the publish timeout with the last error', async () => {
  const node = restNode(Array(100).fill('network'));
  const clock = new FakeClock();
  const client = createClient(testOptions(node.server, clock.options));
  const start = clock.now();
  await assert.rejects(clock.drive(client.publish('s', 'x', null, { timeoutMs: 80 })), { code: 'network' });
  assert.ok(node.attempts.length >= 3);
  assert.ok(clock.now() - start <= 80, `gave up after ${clock.now() - start} ms`);
  client.close();
});

test('close() fails publishes still retrying with `closed`', async () => {
  const node = restNode(Array(100).fill('network'));
  const clock = new FakeClock();
  const client = createClient(testOptions(node.server, clock.options));
  const publishing = client.publish('s', 'x', null);
  await clock.until(() => node.attempts.length >= 2, { what: 'a retry' });
  client.close();
  await assert.rejects(publishing, { code: 'closed' });
});

/** A fake server whose sockets connect as usual and hand each publish frame to `onPublish(socket, frame)`. */
function answeringPublishes(onPublish) {
  const server = new FakeServer();
  server.onSocket = (socket) => {
    socket.acceptAndConnect();
    const connect = socket.onFrame;
    socket.onFrame = (frame) => {
      connect(frame);
      if (frame.type === 'publish') {
        onPublish(socket, frame);
      }
    };
  };
  return server;
}

test('on a WebSocket: publish frames with acks; a socket lost before the ack is retried with the same key', async () => {
  const server = answeringPublishes((socket, frame) => {
    if (server.sockets.length === 1) {
      queueMicrotask(() => socket.close(1012)); // stored, but the node restarts before the ack
    } else {
      socket.send({ type: 'ack', requestId: frame.requestId, eventId: '7', timestamp: 't' });
    }
  });
  const clock = new FakeClock();
  const client = createClient(testOptions(server, { ...clock.options, transports: ['websocket'] }));
  client.subscribe('s').connect();
  await waitFor(() => client.state.state === 'connected');
  const result = await clock.drive(client.publish('s', 'vote', { option: 'a' }));
  assert.equal(result.eventId, '7');
  const publishes = server.sockets.flatMap((s) => s.framesOfType('publish'));
  assert.equal(publishes.length, 2);
  assert.equal(publishes[0].idempotencyKey, publishes[1].idempotencyKey);
  assert.notEqual(publishes[0].requestId, publishes[1].requestId);
  assert.deepEqual(publishes[0].payload, { option: 'a' });
  client.close();
});

test('on a WebSocket: an error frame answers the publish', async () => {
  const server = answeringPublishes((socket, frame) => {
    socket.send({ type: 'error', requestId: frame.requestId, code: 'too_large', message: 'payload too large' });
  });
  const client = createClient(testOptions(server, { transports: ['websocket'] }));
  client.connect();
  await waitFor(() => client.state.state === 'connected');
  await assert.rejects(client.publish('s', 'x', 'big'), { code: 'too_large' });
  client.close();
});

test('on a WebSocket: a rate_limited error frame (no Retry-After) is retried after at least 1 s', async () => {
  let refusals = 0;
  const server = answeringPublishes((socket, frame) => {
    if (refusals++ < 2) {
      socket.send({ type: 'error', requestId: frame.requestId, code: 'rate_limited', message: 'publish rate exceeded',
        retryable: true });
    } else {
      socket.send({ type: 'ack', requestId: frame.requestId, eventId: '3', timestamp: 't' });
    }
  });
  const clock = new FakeClock();
  const client = createClient(testOptions(server, { ...clock.options, transports: ['websocket'] }));
  client.connect();
  await waitFor(() => client.state.state === 'connected');
  const retries = [];
  const start = clock.now();
  const result = await clock.drive(client.publish('s', 'x', null, { onRetry: (retry) => retries.push(retry) }),
    { withinMs: 10_000 });
  assert.equal(result.eventId, '3');
  assert.deepEqual(retries.map((r) => r.error.code), ['rate_limited', 'rate_limited']);
  assert.ok(retries.every((r) => r.delayMs >= 1_000), `announced ${retries.map((r) => r.delayMs)} ms`);
  assert.ok(clock.now() - start >= 2_000, `waited ${clock.now() - start} ms`);
  client.close();
});
