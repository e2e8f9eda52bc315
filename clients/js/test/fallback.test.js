import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from '../src/index.js';
import { FakeClock } from './helpers/fake-clock.js';
import { errorResponse, eventFrame, FakeServer, json, sseStream, testOptions, waitFor } from './helpers/fake-server.js';

/**
 * A fake node where WebSocket, SSE and polling can each be refused. SSE streams send `connected` and then whatever
 * the test writes; polls answer the head (timeoutMs=0) or wait until the test ends them. Time is fake (`clock`):
 * backoff and probes run only as the test lets it pass.
 */
function fakeNode() {
  const server = new FakeServer();
  const clock = new FakeClock();
  const node = { server, clock, refuse: { websocket: false, sse: false, poll: false }, streams: [], polls: [] };
  server.onSocket = (socket) => (node.refuse.websocket ? socket.refuse() : socket.acceptAndConnect());
  server.http = (request) => {
    if (request.path === '/events') {
      if (node.refuse.sse) {
        throw new TypeError('fetch failed');
      }
      const stream = sseStream(request.signal);
      stream.request = request;
      node.streams.push(stream);
      queueMicrotask(() => stream.frame({ type: 'connected', connectionId: 'c', userId: 'ada', heartbeatSec: 15 }));
      return stream.response;
    }
    if (request.path === '/poll') {
      if (node.refuse.poll) {
        throw new TypeError('fetch failed');
      }
      node.polls.push(request);
      if (request.params.get('timeoutMs') === '0') {
        return json({ events: [], lastEventId: '0' });
      }
      return new Promise(() => {}); // waits (until aborted)
    }
    if (request.path.endsWith('/presence')) {
      return json({ users: [] });
    }
    return errorResponse(404, 'not_found');
  };
  return node;
}

/** Client options for the fake node, on its fake clock. */
function nodeOptions(node, extra = {}) {
  return testOptions(node.server, { ...node.clock.options, ...extra });
}

function transportsTried(states) {
  return [...new Set(states.filter((s) => s.state === 'connecting').map((s) => s.transport))];
}

test('WebSocket refused: after repeated failures the client falls back to SSE, then to long polling', async () => {
  const node = fakeNode();
  node.refuse.websocket = true;
  node.refuse.sse = true;
  const states = [];
  const client = createClient(nodeOptions(node, { onState: (s) => states.push(s), upgradeProbeMs: 60_000 }));
  client.subscribe('s').connect();
  await node.clock.until(() => client.state.state === 'connected', { what: 'connected' });
  assert.equal(client.transport, 'poll');
  assert.deepEqual(transportsTried(states), ['websocket', 'sse', 'poll']);
  assert.equal(node.server.sockets.length, 2, 'two WebSocket failures before falling back (fallbackAfter)');
  assert.ok(states.some((s) => s.reason === 'fallback' && s.transport === 'sse'));
  assert.equal(client.state.fallback, true);
  client.close();
});

test('on a fallback it keeps probing WebSocket and returns to it when it works', async () => {
  const node = fakeNode();
  node.refuse.websocket = true;
  const events = [];
  const client = createClient(nodeOptions(node, { upgradeProbeMs: 40, onEvent: (e) => events.push(e.eventId) }));
  client.subscribe('s', { fromEventId: 0 }).connect();
  await node.clock.until(() => client.state.state === 'connected' && client.transport === 'sse', { what: 'on SSE' });
  const stream = node.streams.at(-1);
  stream.frame(eventFrame('s', 1), 1);
  stream.frame(eventFrame('s', 2), 2);
  await waitFor(() => events.length === 2);
  const probesBefore = node.server.sockets.length;
  await node.clock.until(() => node.server.sockets.length > probesBefore + 1, { what: 'background probes' });
  assert.equal(client.transport, 'sse', 'failed probes change nothing');
  node.refuse.websocket = false;
  await node.clock.until(() => client.state.state === 'connected' && client.transport === 'websocket',
    { what: 'back on WS' });
  const socket = node.server.socket;
  await waitFor(() => socket.framesOfType('subscribe').length === 1);
  assert.equal(socket.framesOfType('subscribe')[0].fromEventId, '2', 'resumes where SSE left off');
  assert.equal(stream.open, false, 'the SSE stream was closed');
  socket.send(eventFrame('s', 2));
  socket.send(eventFrame('s', 3));
  assert.deepEqual(events, ['1', '2', '3']);
  client.close();
});

test('a transport that has worked is not given up after a couple of failures (a restart is not a proxy)', async () => {
  const node = fakeNode();
  const client = createClient(nodeOptions(node, { upgradeProbeMs: 60_000 }));
  client.subscribe('s').connect();
  await waitFor(() => client.state.state === 'connected');
  node.refuse.websocket = true;
  node.server.socket.close(1012);
  await node.clock.until(() => node.server.sockets.length >= 4, { what: 'three failed reconnects' });
  node.refuse.websocket = false;
  await node.clock.until(() => client.state.state === 'connected', { what: 'reconnected' });
  assert.equal(client.transport, 'websocket');
  client.close();
});

test('the transports option forces one transport: no fallback however often it fails', async () => {
  const node = fakeNode();
  node.refuse.websocket = true;
  const client = createClient(nodeOptions(node, { transports: ['websocket'] }));
  client.subscribe('s').connect();
  await node.clock.until(() => node.server.sockets.length >= 5, { what: 'five attempts' });
  assert.equal(client.transport, 'websocket');
  assert.equal(node.streams.length + node.polls.length, 0);
  client.close();
});

test('transports are always tried best first; unknown ones are refused', () => {
  const node = fakeNode();
  assert.throws(() => createClient(nodeOptions(node, { transports: ['carrier-pigeon'] })), TypeError);
  assert.throws(() => createClient(nodeOptions(node, { transports: [] })), TypeError);
  const client = createClient(nodeOptions(node, { transports: ['poll', 'sse'] }));
  client.connect();
  assert.equal(client.transport, 'sse');
  client.close();
});

test('backoff between failed attempts grows (full jitter at 0.5 of each ceiling)', async () => {
  const node = fakeNode();
  node.refuse.websocket = true;
  const delays = [];
  const client = createClient(nodeOptions(node, {
    transports: ['websocket'], onState: (s) => s.state === 'reconnecting' && delays.push(s.retryInMs),
  }));
  client.connect();
  await node.clock.until(() => delays.length >= 6, { what: 'six retries' });
  client.close();
  assert.deepEqual(delays.slice(0, 6), [2, 4, 8, 16, 20, 20]); // base 4, cap 40, random 0.5
});

test('the first request after a change of transport reports the transport it came from (fallbackFrom)', async () => {
  const node = fakeNode();
  node.refuse.websocket = true;
  node.refuse.sse = true;
  const client = createClient(nodeOptions(node, { upgradeProbeMs: 60_000 }));
  client.subscribe('s').connect();
  await node.clock.until(() => client.state.state === 'connected', { what: 'connected' });
  assert.equal(client.transport, 'poll');
  assert.ok(node.server.sockets.every((s) => !s.ws.url.includes('fallbackFrom')), 'WebSocket came first');
  const streams = node.server.requests.filter((r) => r.path === '/events');
  assert.ok(streams.length >= 1);
  assert.ok(streams.every((r) => r.params.get('fallbackFrom') === 'websocket'), 'SSE after WebSocket');
  await waitFor(() => node.polls.length >= 2);
  assert.equal(node.polls[0].params.get('fallbackFrom'), 'sse', 'the first poll after SSE');
  assert.ok(node.polls.slice(1).every((p) => !p.params.has('fallbackFrom')), 'only the first poll says it');
  client.close();
});

test('returning to WebSocket reports the fallback it leaves', async () => {
  const node = fakeNode();
  node.refuse.websocket = true;
  const client = createClient(nodeOptions(node, { upgradeProbeMs: 40 }));
  client.subscribe('s').connect();
  await node.clock.until(() => client.state.state === 'connected' && client.transport === 'sse', { what: 'on SSE' });
  node.refuse.websocket = false;
  await node.clock.until(() => client.state.state === 'connected' && client.transport === 'websocket',
    { what: 'back on WS' });
  assert.equal(new URL(node.server.socket.ws.url).searchParams.get('fallbackFrom'), 'sse');
  client.close();
});
