import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from '../src/index.js';
import { FakeClock } from './helpers/fake-clock.js';
import { errorResponse, eventFrame, FakeServer, fakeJwt, json, testOptions, waitFor } from './helpers/fake-server.js';

/**
 * A client on a fake server whose sockets connect at once, on fake time (`clock`); collects what the application
 * sees.
 */
function setup(extra = {}) {
  const server = new FakeServer();
  server.onSocket = (socket) => socket.acceptAndConnect();
  const clock = new FakeClock();
  const seen = { events: [], states: [], resets: [], presence: [], errors: [], signals: [] };
  const client = createClient(testOptions(server, {
    ...clock.options,
    transports: ['websocket'],
    onEvent: (e) => seen.events.push(`${e.sessionId}/${e.eventId}`),
    onState: (s) => seen.states.push(s),
    onReset: (r) => seen.resets.push(r),
    onPresence: (p) => seen.presence.push(p),
    onError: (e) => seen.errors.push(e),
    onSignal: (s) => seen.signals.push(s),
    ...extra,
  }));
  return { server, client, seen, clock };
}

const connected = (client) => waitFor(() => client.state.state === 'connected', 2000, 'connected');

/** A connected client (see `setup`) whose socket the server then closes with `code`, once the client has stopped. */
async function closedBy(code, reason) {
  const setUp = setup();
  setUp.client.subscribe('s').connect();
  await connected(setUp.client);
  setUp.server.socket.close(code, reason);
  await waitFor(() => setUp.client.state.state === 'closed');
  return setUp;
}

test('authenticates with a first auth frame, then subscribes every session with its position', async () => {
  const { server, client } = setup();
  client.subscribe('live').subscribe('from-start', { fromEventId: 0 }).subscribe('resumed', { fromEventId: '41' });
  client.connect();
  await connected(client);
  const socket = server.socket;
  assert.equal(socket.ws.url, 'ws://switchboard.test/events');
  await waitFor(() => socket.framesOfType('subscribe').length === 3);
  assert.equal(socket.received[0].type, 'auth');
  assert.ok(socket.received[0].token);
  assert.deepEqual(socket.framesOfType('subscribe').map((f) => [f.sessionId, f.fromEventId]),
    [['live', undefined], ['from-start', '0'], ['resumed', '41']]);
  client.close();
});

test('events reach onEvent in order; a session subscribed later is subscribed on the open socket', async () => {
  const { server, client, seen } = setup();
  client.subscribe('a').connect();
  await connected(client);
  const socket = server.socket;
  socket.send({ type: 'replayed', sessionId: 'a', lastEventId: '0' });
  socket.send(eventFrame('a', 1));
  socket.send(eventFrame('a', 2));
  client.subscribe('b', { fromEventId: 5 });
  await waitFor(() => socket.framesOfType('subscribe').some((f) => f.sessionId === 'b'));
  socket.send(eventFrame('b', 6));
  socket.send(eventFrame('other', 1)); // not subscribed: ignored
  assert.deepEqual(seen.events, ['a/1', 'a/2', 'b/6']);
  client.unsubscribe('a');
  await waitFor(() => socket.framesOfType('unsubscribe').length === 1);
  socket.send(eventFrame('a', 3));
  assert.deepEqual(seen.events, ['a/1', 'a/2', 'b/6']);
  client.close();
});

test('after a drop it reconnects and resumes each session from its last eventId; the overlap is dropped', async () => {
  const { server, client, seen, clock } = setup();
  client.subscribe('s').connect();
  await connected(client);
  const first = server.socket;
  first.send({ type: 'replayed', sessionId: 's', lastEventId: '10' });
  first.send(eventFrame('s', 11));
  first.send(eventFrame('s', 12));
  first.close(1012, 'service restart');
  await clock.until(() => server.sockets.length === 2 && client.state.state === 'connected', { what: 'reconnected' });
  const second = server.socket;
  await waitFor(() => second.framesOfType('subscribe').length === 1);
  assert.equal(second.framesOfType('subscribe')[0].fromEventId, '12');
  // A server may repeat what the client already had (e.g. events on their way when the first socket died).
  for (const id of [11, 12, 13, 14]) {
    second.send(eventFrame('s', id));
  }
  assert.deepEqual(seen.events, ['s/11', 's/12', 's/13', 's/14']);
  assert.deepEqual(seen.states.map((s) => s.state),
    ['connecting', 'connected', 'reconnecting', 'connecting', 'connected']);
  assert.equal(client.position('s'), '14');
  client.close();
});

test('reset is reported to the application and moves the position', async () => {
  const { server, client, seen } = setup();
  client.subscribe('s', { fromEventId: 3 }).connect();
  await connected(client);
  server.socket.send({ type: 'reset', sessionId: 's', reason: 'history_expired', lastEventId: '900' });
  server.socket.send(eventFrame('s', 901));
  assert.deepEqual(seen.resets, [{ sessionId: 's', reason: 'history_expired', lastEventId: '900' }]);
  assert.deepEqual(seen.events, ['s/901']);
  client.close();
});

test('unsubscribed: the session the server ended is dropped, reported, and not resumed', async () => {
  const { server, client, seen } = setup();
  client.subscribe('kept').subscribe('lost').connect();
  await connected(client);
  server.socket.send({ type: 'unsubscribed', sessionId: 'lost', code: 'forbidden',
    message: 'the token does not allow this session' });
  assert.deepEqual(client.sessions, ['kept']);
  assert.equal(seen.errors.at(-1).code, 'forbidden');
  assert.equal(seen.errors.at(-1).sessionId, 'lost');
  client.close();
});

test('4001: the token callback is asked for a new token, then the client reconnects with it', async () => {
  const reasons = [];
  let n = 0;
  const { server, client, clock } = setup({
    token: ({ reason }) => {
      reasons.push(reason);
      return fakeJwt({ sub: 'ada', n: ++n, exp: Math.floor(Date.now() / 1000) + 3600 });
    },
  });
  client.subscribe('s').connect();
  await connected(client);
  const firstToken = server.socket.received[0].token;
  server.socket.close(4001, 'token expired');
  await clock.until(() => server.sockets.length === 2 && client.state.state === 'connected', { what: 'reconnected' });
  assert.deepEqual(reasons, ['initial', 'unauthorized']);
  assert.notEqual(server.socket.received[0].token, firstToken);
  client.close();
});

test('4001 with a fixed token stops and asks the application for one', async () => {
  const { server, client, seen, clock } = await closedBy(4001, 'token expired');
  assert.equal(client.state.error.code, 'unauthorized');
  assert.equal(seen.errors.at(-1).code, 'unauthorized');
  assert.deepEqual(clock.pending, [], 'no retry scheduled');
  await clock.advance(60_000);
  assert.equal(server.sockets.length, 1, 'no reconnect without a new token');
  client.setToken(fakeJwt({ sub: 'ada', exp: Math.floor(clock.now() / 1000) + 60 }));
  client.connect();
  await connected(client);
  assert.equal(server.sockets.length, 2);
  client.close();
});

test('4003: stops and reports forbidden, no retry', async () => {
  const { server, seen, clock } = await closedBy(4003, 'forbidden');
  assert.equal(seen.errors.at(-1).code, 'forbidden');
  assert.deepEqual(clock.pending, [], 'no retry scheduled');
  await clock.advance(60_000);
  assert.equal(server.sockets.length, 1);
});

test('a refreshed token is sent in an auth frame on the open socket before exp', async () => {
  let n = 0;
  const { server, client, clock } = setup({
    // 2 s tokens: refreshed a quarter of their life early, at 1.5 s.
    token: () => fakeJwt({ sub: 'ada', n: ++n, exp: clock.now() / 1000 + 2 }),
  });
  client.subscribe('s').connect();
  await connected(client);
  const socket = server.socket;
  await clock.advance(1_499);
  assert.equal(socket.framesOfType('auth').length, 1, 'not refreshed before 1.5 s');
  await clock.until(() => socket.framesOfType('auth').length === 2, { withinMs: 499, what: 'auth refresh before exp' });
  assert.notEqual(socket.framesOfType('auth')[1].token, socket.framesOfType('auth')[0].token);
  assert.equal(server.sockets.length, 1, 'refreshed in place, no reconnect');
  client.close();
});

test('liveness: quiet for heartbeatSec sends ping; a pong keeps it; silence after a ping reconnects', async () => {
  const { server, client, clock } = setup({ pongTimeoutMs: 300 });
  server.onSocket = (socket) => socket.acceptAndConnect(0.05); // heartbeatSec 50 ms
  client.subscribe('s').connect();
  await connected(client);
  const socket = server.socket;
  await clock.until(() => socket.framesOfType('ping').length === 1, { what: 'first ping' });
  socket.send({ type: 'pong' });
  await clock.until(() => socket.framesOfType('ping').length === 2, { what: 'second ping after a quiet spell' });
  // no pong this time: the connection is presumed half-open
  await clock.until(() => server.sockets.length === 2, { what: 'reconnect' });
  assert.equal(socket.ws.readyState >= 2, true, 'the dead socket was closed');
  client.close();
});

test('liveness: the wait for a pong defaults to heartbeatSec: a silent drop shows in two intervals', async () => {
  const { server, client, clock } = setup();
  server.onSocket = (socket) => socket.acceptAndConnect(1); // heartbeatSec 1 s
  client.subscribe('s').connect();
  await connected(client);
  const start = clock.now();
  // the server goes silent: nothing answers the client's ping
  await clock.until(() => server.sockets.length === 2, { withinMs: 2_100, what: 'a reconnect in 2 x heartbeatSec' });
  assert.ok(clock.now() - start >= 2_000 - 1, `not before two intervals: after ${clock.now() - start} ms`);
  client.close();
});

test('presence: state after subscribe, then each join and leave of a diff on its own, with the count', async () => {
  const { server, client, seen } = setup();
  client.subscribe('s').connect();
  await connected(client);
  const ada = { userId: 'ada', name: 'Ada', actorType: null };
  const bob = { userId: 'bob', name: 'Bob', actorType: null };
  const cy = { userId: 'cy', name: null, actorType: 'display' };
  server.socket.send({ type: 'presence.state', sessionId: 's', users: [ada], count: 1 });
  server.socket.send({ type: 'presence.diff', sessionId: 's', joins: [bob, cy], leaves: [ada], count: 2 });
  assert.deepEqual(seen.presence.map((p) => [p.action, p.user?.userId, p.count]),
    [['state', undefined, 1], ['leave', 'ada', 2], ['join', 'bob', 2], ['join', 'cy', 2]]);
  assert.deepEqual(seen.presence[1].users.map((u) => u.userId), ['bob', 'cy'], 'the list after the whole diff');
  assert.deepEqual(client.presence('s').map((u) => u.userId), ['bob', 'cy']);
  assert.equal(client.presenceCount('s'), 2);
  client.close();
});

test('presence: counts only above the server\'s max, then the list is read again once diffs name users', async () => {
  const { server, client, seen, clock } = setup();
  client.subscribe('s').connect();
  await connected(client);
  server.http = (request) => (request.path === '/sessions/s/presence'
    ? json({ users: [{ userId: 'ada', name: 'Ada', actorType: null }], count: 999 })
    : errorResponse(404, 'not_found'));
  server.socket.send({ type: 'presence.state', sessionId: 's', users: [], count: 0 });
  server.socket.send({ type: 'presence.diff', sessionId: 's', joined: 1500, left: 0, count: 1500 });
  assert.deepEqual(seen.presence.at(-1), { sessionId: 's', action: 'count', users: [], count: 1500, anonymous: {},
    joined: 1500, left: 0 });
  assert.deepEqual(client.presence('s'), []);
  assert.equal(client.presenceCount('s'), 1500);
  server.socket.send({ type: 'presence.diff', sessionId: 's', joins: [], leaves: [{ userId: 'bob', name: null,
    actorType: null }], count: 999 });
  assert.equal(seen.presence.at(-1).action, 'leave');
  await clock.until(() => client.presence('s').length === 1, { withinMs: 3_000, what: 'the list read again over REST' });
  assert.deepEqual(seen.presence.at(-1), { sessionId: 's', action: 'state',
    users: [{ userId: 'ada', name: 'Ada', actorType: null }], count: 999, anonymous: {} });
  client.close();
});

test('presence: anonymous subscribers are counted by type from every frame, never listed', async () => {
  const { server, client, seen } = setup();
  client.subscribe('s').connect();
  await connected(client);
  const ada = { userId: 'ada', name: 'Ada', actorType: null };
  server.socket.send({ type: 'presence.state', sessionId: 's', users: [ada], count: 1, anonymous: { display: 1 } });
  assert.deepEqual(client.anonymousCounts('s'), { display: 1 });
  server.socket.send({ type: 'presence.diff', sessionId: 's', joins: [], leaves: [], count: 1,
    anonymous: { display: 2, anonymous: 1 } });
  assert.deepEqual(seen.presence.at(-1), { sessionId: 's', action: 'count', users: [ada], count: 1,
    anonymous: { display: 2, anonymous: 1 }, joined: 0, left: 0 }, 'only anonymous subscribers came: a count change');
  server.socket.send({ type: 'presence.diff', sessionId: 's', joins: [], leaves: [ada], count: 0,
    anonymous: { anonymous: 1 } });
  assert.deepEqual(seen.presence.at(-1), { sessionId: 's', action: 'leave', user: ada, users: [], count: 0,
    anonymous: { anonymous: 1 } }, 'totals replace the counts: no display is left');
  assert.deepEqual(client.anonymousCounts('s'), { anonymous: 1 });
  assert.deepEqual(client.presence('s'), []);
  assert.deepEqual(client.anonymousCounts('unknown'), {});
  client.close();
});

test('signals go out on the WebSocket and come in through onSignal', async () => {
  const { server, client, seen } = setup();
  client.subscribe('s');
  assert.equal(client.signal('s', 'cursor', { x: 1 }), false, 'not connected: not sent');
  client.connect();
  await connected(client);
  assert.equal(client.signal('s', 'cursor', { x: 2 }), true);
  assert.deepEqual(server.socket.framesOfType('signal'), [{ type: 'signal', sessionId: 's', eventType: 'cursor',
    payload: { x: 2 } }]);
  server.socket.send({ type: 'signal', sessionId: 's', userId: 'bob', eventType: 'typing', payload: null });
  assert.equal(seen.signals[0].eventType, 'typing');
  client.close();
});

test('a subscribe refused as forbidden drops that session only and reports it', async () => {
  const { server, client, seen } = setup();
  client.subscribe('ok').subscribe('secret').connect();
  await connected(client);
  server.socket.send({ type: 'error', requestId: 'subscribe:secret', code: 'forbidden', message: 'no' });
  assert.deepEqual(client.sessions, ['ok']);
  assert.equal(seen.errors[0].sessionId, 'secret');
  assert.equal(client.state.state, 'connected');
  client.close();
});

test('reconnects at once when the browser reports it is back online', async () => {
  const target = new EventTarget();
  globalThis.addEventListener = target.addEventListener.bind(target);
  globalThis.removeEventListener = target.removeEventListener.bind(target);
  try {
    const { server, client } = setup({ watchBrowser: true, backoff: { baseMs: 60_000, maxMs: 60_000 } });
    client.subscribe('s').connect();
    await connected(client);
    server.onSocket = (socket) => socket.refuse();
    server.socket.close(1006);
    await waitFor(() => client.state.state === 'reconnecting' && server.sockets.length === 1);
    server.onSocket = (socket) => socket.acceptAndConnect();
    target.dispatchEvent(new Event('online'));
    await connected(client);
    assert.equal(server.sockets.length, 2, 'did not wait out the (long) backoff');
    client.close();
  } finally {
    delete globalThis.addEventListener;
    delete globalThis.removeEventListener;
  }
});
