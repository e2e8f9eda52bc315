import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from '../src/index.js';
import { FakeClock } from './helpers/fake-clock.js';
import {
  errorResponse, eventFrame, FakeServer, fakeJwt, json, sessionsForbidden, testOptions, waitFor,
} from './helpers/fake-server.js';

/** A fake node whose polls the test answers: each poll waits in `waiting` until answered (or aborted). */
function pollNode(head = '0') {
  const server = new FakeServer();
  const node = { server, polls: [], waiting: [], presence: [], answers: [] };
  server.http = (request) => {
    if (request.path.endsWith('/presence')) {
      return json({ users: node.presence });
    }
    node.polls.push(request);
    const answer = node.answers.shift();
    if (answer) {
      return answer(request);
    }
    if (request.params.get('timeoutMs') === '0') {
      return json({ events: [], lastEventId: request.params.get('fromEventId') ?? head });
    }
    return new Promise((resolve) => node.waiting.push({ request, resolve }));
  };
  node.answer = (body) => node.waiting.shift().resolve(json(body));
  return node;
}

/** A polling-only client on fake time (`clock`). */
function pollClient(node, extra = {}) {
  const seen = { events: [], resets: [], presence: [] };
  const clock = new FakeClock();
  const client = createClient(testOptions(node.server, {
    ...clock.options,
    transports: ['poll'], presencePollMs: 30,
    onEvent: (e) => seen.events.push(e.eventId), onReset: (r) => seen.resets.push(r),
    onPresence: (p) => seen.presence.push(p), ...extra,
  }));
  return { client, seen, clock };
}

test('a session without a position learns the head at once, then long-polls from it', async () => {
  const node = pollNode('41');
  const { client } = pollClient(node);
  client.subscribe('s').connect();
  // (pollNode answers timeoutMs=0 at once with the head, or with the position it was given)
  await waitFor(() => client.state.state === 'connected');
  assert.equal(node.polls[0].params.get('timeoutMs'), '0');
  assert.equal(node.polls[0].params.get('fromEventId'), null);
  assert.match(node.polls[0].headers.authorization, /^Bearer /);
  await waitFor(() => node.waiting.length === 1);
  const poll = node.waiting[0].request;
  assert.equal(poll.params.get('fromEventId'), '41');
  assert.equal(poll.params.get('timeoutMs'), '25000');
  client.close();
});

test('events in order, each next poll from the answer\'s position; repeats dropped', async () => {
  const node = pollNode();
  const { client, seen } = pollClient(node);
  client.subscribe('s', { fromEventId: 0 }).connect();
  await waitFor(() => node.waiting.length === 1);
  node.answer({ events: [eventFrame('s', 1), eventFrame('s', 2)], lastEventId: '2' });
  await waitFor(() => node.waiting.length === 1);
  assert.equal(node.waiting[0].request.params.get('fromEventId'), '2');
  node.answer({ events: [eventFrame('s', 2), eventFrame('s', 3)], lastEventId: '3' });
  await waitFor(() => node.waiting.length === 1);
  assert.deepEqual(seen.events, ['1', '2', '3']);
  assert.equal(client.state.state, 'connected', 'connected after the first answer');
  client.close();
});

test('a reset answer is reported and polling continues after its position', async () => {
  const node = pollNode();
  const { client, seen } = pollClient(node);
  client.subscribe('s', { fromEventId: 3 }).connect();
  await waitFor(() => node.waiting.length === 1);
  node.answer({ reset: { reason: 'history_expired', lastEventId: '950' } });
  await waitFor(() => node.waiting.length === 1);
  assert.deepEqual(seen.resets, [{ sessionId: 's', reason: 'history_expired', lastEventId: '950' }]);
  assert.equal(node.waiting[0].request.params.get('fromEventId'), '950');
  client.close();
});

test('a failed poll reconnects with backoff and resumes from the position', async () => {
  const node = pollNode();
  const states = [];
  const { client, seen, clock } = pollClient(node, { onState: (s) => states.push(s.state) });
  client.subscribe('s', { fromEventId: 0 }).connect();
  await waitFor(() => node.waiting.length === 1);
  node.answer({ events: [eventFrame('s', 1)], lastEventId: '1' });
  await waitFor(() => node.waiting.length === 1);
  node.waiting.shift().resolve(errorResponse(503, 'unavailable'));
  await clock.until(() => node.waiting.length === 1 && client.state.state === 'connected', { what: 'polling again' });
  assert.deepEqual(states, ['connecting', 'connected', 'reconnecting', 'connecting', 'connected']);
  assert.equal(node.waiting[0].request.params.get('fromEventId'), '1');
  assert.deepEqual(seen.events, ['1']);
  client.close();
});

test('presence is read over REST while polling, reported when it changes', async () => {
  const node = pollNode();
  node.presence = [{ userId: 'ada', name: 'Ada' }];
  const { client, seen, clock } = pollClient(node);
  const presenceReads = () => node.server.requests.filter((r) => r.path.endsWith('/presence')).length;
  client.subscribe('s').connect();
  await waitFor(() => seen.presence.length === 1);
  await clock.until(() => presenceReads() === 3, { what: 'presence read twice more' });
  assert.equal(seen.presence.length, 1, 'unchanged presence is not reported again');
  node.presence = [{ userId: 'ada', name: 'Ada' }, { userId: 'bob', name: 'Bob' }];
  await clock.until(() => seen.presence.length === 2, { what: 'the change reported' });
  assert.deepEqual(client.presence('s').map((u) => u.userId), ['ada', 'bob']);
  client.close();
});

test('401 gets a new token; a refreshed token cuts the waiting poll short', async () => {
  const node = pollNode();
  node.answers.push(() => errorResponse(401, 'unauthorized'));
  let tokens = 0;
  const { client, clock } = pollClient(node, {
    token: () => fakeJwt({ sub: 'ada', n: ++tokens, exp: Date.now() / 1000 + 600 }),
  });
  client.subscribe('s', { fromEventId: 0 }).connect();
  await clock.until(() => node.waiting.length === 1, { what: 'polling with a new token' });
  assert.equal(tokens, 2);
  const fresh = fakeJwt({ sub: 'ada', fresh: true, exp: Date.now() / 1000 + 600 });
  client.setToken(fresh);
  await waitFor(() => node.waiting.length === 2);
  assert.equal(node.waiting[1].request.headers.authorization, `Bearer ${fresh}`);
  assert.equal(node.waiting[1].request.signal.aborted, false);
  assert.equal(node.waiting[0].request.signal.aborted, true);
  client.close();
});

test('a poll refused with 403 naming its session drops and reports that session; the others poll on', async () => {
  const node = pollNode();
  const refused = new Set();
  const answerPoll = node.server.http;
  node.server.http = (request) => (refused.has(request.params.get('sessionId'))
    ? sessionsForbidden([request.params.get('sessionId')])
    : answerPoll(request));
  const errors = [];
  const states = [];
  const { client, seen } = pollClient(node, { onError: (e) => errors.push(e), onState: (s) => states.push(s.state) });
  client.subscribe('kept', { fromEventId: 0 }).subscribe('lost', { fromEventId: 0 }).connect();
  await waitFor(() => node.waiting.length === 2);
  refused.add('lost');
  client.setToken(fakeJwt({ sub: 'ada', sessions: ['kept'], exp: Date.now() / 1000 + 600 }));
  await waitFor(() => errors.length === 1 && node.waiting.filter((w) => !w.request.signal.aborted).length === 1);
  assert.deepEqual([errors[0].code, errors[0].sessionId], ['forbidden', 'lost']);
  assert.deepEqual(client.sessions, ['kept']);
  const live = node.waiting.filter((w) => !w.request.signal.aborted);
  assert.equal(live[0].request.params.get('sessionId'), 'kept');
  const lostPolls = node.polls.filter((r) => r.params.get('sessionId') === 'lost').length;
  live[0].resolve(json({ events: [eventFrame('kept', 1)], lastEventId: '1' }));
  await waitFor(() => seen.events.length === 1 && node.waiting.filter((w) => !w.request.signal.aborted).length === 2);
  assert.equal(node.polls.filter((r) => r.params.get('sessionId') === 'lost').length, lostPolls, 'lost is not polled');
  assert.deepEqual(states, ['connecting', 'connected'], 'the connection stayed up');
  client.close();
});
