import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from '../src/index.js';
import { FakeClock } from './helpers/fake-clock.js';
import {
  errorResponse, eventFrame, FakeServer, fakeJwt, sessionsForbidden, sseStream, testOptions, waitFor,
} from './helpers/fake-server.js';

/** A fake node serving SSE streams; `answers` may line up HTTP refusals for the next requests. */
function sseNode({ heartbeatSec = 15, answers = [] } = {}) {
  const server = new FakeServer();
  const streams = [];
  server.http = (request) => {
    const answer = answers.shift();
    if (answer) {
      return answer();
    }
    const stream = sseStream(request.signal);
    stream.request = request;
    streams.push(stream);
    queueMicrotask(() => {
      stream.write('retry: 1000\n\n');
      stream.frame({ type: 'connected', connectionId: 'c', userId: 'ada', heartbeatSec });
    });
    return stream.response;
  };
  return { server, streams };
}

/** An SSE-only client on fake time (`clock`). */
function sseClient(server, extra = {}) {
  const seen = { events: [], errors: [] };
  const clock = new FakeClock();
  const client = createClient(testOptions(server, {
    ...clock.options,
    transports: ['sse'], onEvent: (e) => seen.events.push(`${e.sessionId}/${e.eventId}`),
    onError: (e) => seen.errors.push(e), ...extra,
  }));
  return { client, seen, clock };
}

test('one stream for every session, the token in a header, positions in Last-Event-ID', async () => {
  const { server, streams } = sseNode();
  const { client } = sseClient(server);
  client.subscribe('a', { fromEventId: 4 }).subscribe('b').subscribe('c', { fromEventId: 0 }).connect();
  await waitFor(() => client.state.state === 'connected');
  const { request } = streams[0];
  assert.equal(request.path, '/events');
  assert.deepEqual(request.params.getAll('sessionId'), ['a', 'b', 'c']);
  assert.equal(request.headers.accept, 'text/event-stream');
  assert.match(request.headers.authorization, /^Bearer ey/);
  assert.equal(request.headers['last-event-id'], 'a=4,c=0', 'b has no position yet: it starts live');
  assert.equal(request.params.get('access_token'), null, 'no token in the URL');
  client.close();
});

test('after the stream ends it reconnects from each session\'s last eventId, dropping repeats', async () => {
  const { server, streams } = sseNode();
  const { client, seen, clock } = sseClient(server);
  client.subscribe('a').subscribe('b').connect();
  await waitFor(() => client.state.state === 'connected');
  streams[0].frame({ type: 'replayed', sessionId: 'a', lastEventId: '7' });
  streams[0].frame({ type: 'replayed', sessionId: 'b', lastEventId: '0' });
  streams[0].frame(eventFrame('a', 8), 'a=8,b=0');
  streams[0].frame(eventFrame('b', 1), 'a=8,b=1');
  await waitFor(() => seen.events.length === 2);
  streams[0].end();
  await clock.until(() => streams.length === 2 && client.state.state === 'connected', { what: 'reconnected' });
  assert.equal(streams[1].request.headers['last-event-id'], 'a=8,b=1');
  streams[1].frame(eventFrame('a', 8));
  streams[1].frame(eventFrame('a', 9));
  await waitFor(() => seen.events.length === 3);
  assert.deepEqual(seen.events, ['a/8', 'b/1', 'a/9']);
  client.close();
});

test('subscribing another session replaces the stream in place, resuming the others', async () => {
  const { server, streams } = sseNode();
  const { client } = sseClient(server);
  client.subscribe('a', { fromEventId: 2 }).connect();
  await waitFor(() => client.state.state === 'connected');
  streams[0].frame(eventFrame('a', 3));
  await waitFor(() => client.position('a') === '3');
  client.subscribe('b');
  await waitFor(() => streams.length === 2);
  assert.equal(streams[0].open, false);
  assert.deepEqual(streams[1].request.params.getAll('sessionId'), ['a', 'b']);
  assert.equal(streams[1].request.headers['last-event-id'], 'a=3');
  assert.equal(client.state.state, 'connected');
  client.close();
});

test('a stream silent for two ping intervals is given up and reopened', async () => {
  const { server, streams } = sseNode({ heartbeatSec: 0.03 });
  const { client, clock } = sseClient(server);
  client.subscribe('a').connect();
  await waitFor(() => client.state.state === 'connected');
  await clock.advance(59);
  assert.equal(streams.length, 1, 'not given up before two ping intervals');
  await clock.until(() => streams.length === 2, { what: 'reopened after 60 ms of silence' });
  assert.equal(streams[0].open, false);
  client.close();
});

test('pings keep a quiet stream alive', async () => {
  const { server, streams } = sseNode({ heartbeatSec: 0.1 });
  const { client, clock } = sseClient(server);
  client.subscribe('a').connect();
  await waitFor(() => client.state.state === 'connected');
  for (let i = 0; i < 20; i++) { // 400 ms in all, twice the 200 ms silence limit
    await clock.advance(20);
    streams[0].frame({ type: 'ping' });
  }
  assert.equal(streams.length, 1);
  client.close();
});

test('401 asks the token callback and reconnects; 403 stops', async () => {
  const { server, streams } = sseNode({ answers: [() => errorResponse(401, 'unauthorized')] });
  let tokens = 0;
  const { client, clock } = sseClient(server, {
    token: () => fakeJwt({ sub: 'ada', n: ++tokens, exp: Date.now() / 1000 + 60 }),
  });
  client.subscribe('a').connect();
  await clock.until(() => client.state.state === 'connected', { what: 'connected with a new token' });
  assert.equal(tokens, 2);
  assert.equal(streams.length, 1);
  client.close();

  const refused = sseNode({ answers: [() => errorResponse(403, 'forbidden')] });
  const { client: other, seen } = sseClient(refused.server);
  other.subscribe('a').connect();
  await waitFor(() => other.state.state === 'closed');
  assert.equal(seen.errors[0].code, 'forbidden');
});

test('an `unauthorized` error frame at token expiry gets a new token and resumes', async () => {
  const { server, streams } = sseNode();
  let tokens = 0;
  const { client, clock } = sseClient(server, {
    token: () => fakeJwt({ sub: 'ada', n: ++tokens, exp: Date.now() / 1000 + 600 }),
  });
  client.subscribe('a', { fromEventId: 1 }).connect();
  await waitFor(() => client.state.state === 'connected');
  streams[0].frame({ type: 'error', code: 'unauthorized', message: 'token expired' });
  streams[0].end();
  await clock.until(() => streams.length === 2 && client.state.state === 'connected', { what: 'resumed' });
  assert.equal(tokens, 2);
  assert.notEqual(streams[1].request.headers.authorization, streams[0].request.headers.authorization);
  client.close();
});

test('a refreshed token reopens the stream with it, resuming', async () => {
  const { server, streams } = sseNode();
  const { client } = sseClient(server);
  client.subscribe('a', { fromEventId: 5 }).connect();
  await waitFor(() => client.state.state === 'connected');
  const fresh = fakeJwt({ sub: 'ada', fresh: true, exp: Date.now() / 1000 + 600 });
  client.setToken(fresh);
  await waitFor(() => streams.length === 2);
  assert.equal(streams[1].request.headers.authorization, `Bearer ${fresh}`);
  assert.equal(streams[1].request.headers['last-event-id'], 'a=5');
  client.close();
});

test('a reopen refused with 403 naming sessions drops and reports them; the others stream on', async () => {
  const answers = [];
  const { server, streams } = sseNode({ answers });
  const states = [];
  const { client, seen } = sseClient(server, { onState: (s) => states.push(s.state) });
  client.subscribe('a', { fromEventId: 2 }).subscribe('b').subscribe('c', { fromEventId: 0 }).connect();
  await waitFor(() => client.state.state === 'connected');
  streams[0].frame(eventFrame('a', 3), 'a=3,c=0');
  await waitFor(() => client.position('a') === '3');
  answers.push(() => sessionsForbidden(['b', 'c']));
  client.setToken(fakeJwt({ sub: 'ada', sessions: ['a'], exp: Date.now() / 1000 + 600 }));
  await waitFor(() => streams.length === 2);
  assert.deepEqual(streams[1].request.params.getAll('sessionId'), ['a'], 'reopened without the lost sessions');
  assert.equal(streams[1].request.headers['last-event-id'], 'a=3');
  assert.deepEqual(client.sessions, ['a']);
  assert.deepEqual(seen.errors.map((e) => [e.code, e.sessionId]), [['forbidden', 'b'], ['forbidden', 'c']]);
  streams[1].frame(eventFrame('a', 4), 'a=4');
  streams[1].frame(eventFrame('b', 1), 'a=4,b=1'); // (a server would not send it; the client no longer holds b)
  await waitFor(() => seen.events.length === 2);
  assert.deepEqual(seen.events, ['a/3', 'a/4']);
  assert.deepEqual(states, ['connecting', 'connected'], 'the connection stayed up');
  client.close();
});

test('a first stream refused with 403 naming one session connects with the others', async () => {
  const { server, streams } = sseNode({ answers: [() => sessionsForbidden(['b'])] });
  const { client, seen } = sseClient(server);
  client.subscribe('a').subscribe('b').connect();
  await waitFor(() => client.state.state === 'connected');
  assert.equal(streams.length, 1);
  assert.deepEqual(streams[0].request.params.getAll('sessionId'), ['a']);
  assert.deepEqual(seen.errors.map((e) => e.sessionId), ['b']);
  client.close();
});
