import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from '../src/index.js';
import { FakeClock } from './helpers/fake-clock.js';
import { eventFrame, FakeServer, fakeJwt, json, sseStream, testOptions, waitFor } from './helpers/fake-server.js';

/**
 * Session tokens (docs/PROTOCOL.md, Per-session tokens): the `sessionToken` callback of `subscribe` is asked before
 * subscribing, ahead of the token's `exp`, on reconnect, and after the server ended the session for an expired one;
 * each transport carries the token (WebSocket subscribe frame, SSE and poll query).
 */

/** A callback minting 2 s session tokens on fake time, numbered, recording why it was asked. */
function mintingCallback(clock) {
  const calls = [];
  const state = { failRefresh: false };
  const callback = ({ sessionId, reason }) => {
    calls.push(reason);
    if (state.failRefresh && reason === 'refresh') {
      throw new Error('backend unreachable');
    }
    return fakeJwt({ sub: 'ada', session: sessionId, n: calls.length, exp: clock.now() / 1000 + 2 });
  };
  return { calls, callback, state };
}

function client(server, clock, transports, errors = []) {
  return createClient(testOptions(server, { ...clock.options, transports, onError: (e) => errors.push(e) }));
}

test('WebSocket: the session token goes in the subscribe frame, is refreshed in place before exp, and again '
  + 'after a reconnect', async () => {
  const server = new FakeServer();
  server.onSocket = (socket) => socket.acceptAndConnect();
  const clock = new FakeClock();
  const { calls, callback, state } = mintingCallback(clock);
  const errors = [];
  const sb = client(server, clock, ['websocket'], errors);
  sb.subscribe('plain').subscribe('doc:7', { sessionToken: callback }).connect();
  await waitFor(() => server.socket?.framesOfType('subscribe').length >= 2);
  const socket = server.socket;
  const [plain, doc] = socket.framesOfType('subscribe');
  assert.equal(plain.token, undefined, 'a session without a session token subscribes as before');
  assert.equal(doc.sessionId, 'doc:7');
  assert.ok(doc.token, 'the session token rides in the subscribe frame');
  assert.equal(calls[0], 'subscribe');

  // Refreshed a quarter of its 2 s life early: the same subscribe frame with a fresh token, on the same socket.
  socket.send({ type: 'replayed', sessionId: 'doc:7', lastEventId: '0' });
  socket.send(eventFrame('doc:7', 1));
  await clock.until(() => socket.framesOfType('subscribe').length === 3, { withinMs: 2_000, what: 'refresh' });
  const refresh = socket.framesOfType('subscribe')[2];
  assert.equal(refresh.sessionId, 'doc:7');
  assert.equal(refresh.fromEventId, '1', 'where it resumes, should the server have ended it meanwhile');
  assert.notEqual(refresh.token, doc.token);
  assert.equal(calls.at(-1), 'refresh');
  assert.equal(server.sockets.length, 1, 'refreshed in place');

  // The server ended it for an expired token: a fresh one is asked for and the session resubscribed from its position.
  socket.send({ type: 'unsubscribed', sessionId: 'doc:7', code: 'unauthorized', message: 'session token expired' });
  await waitFor(() => socket.framesOfType('subscribe').length === 4);
  assert.equal(socket.framesOfType('subscribe')[3].fromEventId, '1');
  assert.deepEqual(sb.sessions, ['plain', 'doc:7']);

  // Refreshes fail until the token has expired; after a drop, the reconnect asks for a fresh one before subscribing.
  state.failRefresh = true;
  await clock.advance(5_000);
  assert.ok(errors.some((e) => e.message === 'backend unreachable'), 'a failed refresh is reported');
  socket.close(1006, '');
  await clock.until(() => server.sockets.length === 2 && server.socket.framesOfType('subscribe').length === 2,
    { withinMs: 5_000, what: 'resubscribed after reconnect' });
  const again = server.socket.framesOfType('subscribe').find((f) => f.sessionId === 'doc:7');
  assert.equal(JSON.parse(Buffer.from(again.token.split('.')[1], 'base64url')).n, calls.length);
  assert.ok(calls.includes('connect'));
  sb.close();
});

test('SSE and long polling carry session tokens as sessionToken parameters', async () => {
  const server = new FakeServer();
  const streams = [];
  const polls = [];
  server.http = (request) => {
    if (request.path === '/poll') {
      polls.push(request);
      return request.params.get('timeoutMs') === '0' ? json({ events: [], lastEventId: '0' })
        : new Promise(() => {});
    }
    const stream = sseStream(request.signal);
    stream.request = request;
    streams.push(stream);
    queueMicrotask(() => stream.frame({ type: 'connected', connectionId: 'c', userId: 'ada', heartbeatSec: 15 }));
    return stream.response;
  };
  const clock = new FakeClock();
  const { callback } = mintingCallback(clock);

  const onSse = client(server, clock, ['sse']);
  onSse.subscribe('plain').subscribe('doc:7', { sessionToken: callback }).connect();
  await waitFor(() => onSse.state.state === 'connected');
  const first = streams[0].request.params.getAll('sessionToken');
  assert.equal(first.length, 1);
  assert.equal(JSON.parse(Buffer.from(first[0].split('.')[1], 'base64url')).session, 'doc:7');
  await clock.until(() => streams.length === 2, { withinMs: 2_000, what: 'stream reopened with a fresh token' });
  assert.notEqual(streams[1].request.params.get('sessionToken'), first[0]);
  onSse.close();

  const onPoll = client(server, clock, ['poll']);
  onPoll.subscribe('doc:8', { sessionToken: 'fixed.session.token' }).connect();
  await waitFor(() => onPoll.state.state === 'connected');
  assert.equal(polls[0].params.get('sessionToken'), 'fixed.session.token');
  onPoll.close();
});

test('a bad sessionToken option is refused at once', () => {
  const sb = client(new FakeServer(), new FakeClock(), ['websocket']);
  assert.throws(() => sb.subscribe('doc:7', { sessionToken: 42 }), TypeError);
  assert.deepEqual(sb.sessions, []);
});
