import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from '../src/index.js';
import { errorResponse, eventFrame, FakeServer, json, testOptions, waitFor } from './helpers/fake-server.js';

const POSITIONS = { sessionId: 'user:ada', lastEventId: '5', deliveredEventId: '5', readEventId: '4', unread: 1 };

/** A client connected over a fake WebSocket that answers `read` frames as the server does (forward only). */
async function connected() {
  const server = new FakeServer();
  server.onSocket = (socket) => socket.acceptAndConnect();
  const seen = [];
  const client = createClient(testOptions(server, { onPositions: (p) => seen.push(p) }));
  client.subscribe('user:ada').connect();
  await waitFor(() => client.state.state === 'connected', 2000, 'connected');
  return { server, client, seen };
}

test('replayed brings the read and delivered positions; unread counts what arrived after the read one', async () => {
  const { server, client, seen } = await connected();
  assert.deepEqual(server.socket.framesOfType('subscribe').map((f) => f.fromEventId), [undefined],
    'a device without a position lets the server start from the read one');
  for (const id of ['3', '4', '5']) {
    server.socket.send(eventFrame('user:ada', id));
  }
  server.socket.send({ type: 'replayed', sessionId: 'user:ada', lastEventId: '5', readEventId: '2',
    deliveredEventId: '4' });
  await waitFor(() => seen.length === 1, 2000, 'positions');
  assert.deepEqual(seen[0], { sessionId: 'user:ada', lastEventId: '5', readEventId: '2', deliveredEventId: '4',
    unread: 3 });
  assert.equal(client.readPosition('user:ada'), '2');
  assert.equal(client.deliveredPosition('user:ada'), '4');
  assert.equal(client.unread('user:ada'), 3);
  assert.equal(client.unread('elsewhere'), null);
  client.close();
});

test('markRead sends a read frame on the WebSocket and resolves with the positions frame that answers it',
  async () => {
    const { server, client, seen } = await connected();
    server.socket.send(eventFrame('user:ada', '5'));
    server.socket.onFrame = (frame) => {
      if (frame.type === 'read') {
        server.socket.send({ type: 'positions', requestId: frame.requestId, ...POSITIONS });
      }
    };
    const answer = await client.markRead('user:ada');
    const [sent] = server.socket.framesOfType('read');
    assert.deepEqual({ ...sent, requestId: undefined }, { type: 'read', requestId: undefined,
      sessionId: 'user:ada', eventId: '5' }, 'by default up to the last event received');
    assert.deepEqual(answer, POSITIONS);
    assert.equal(client.readPosition('user:ada'), '4');
    assert.equal(client.unread('user:ada'), 1);
    assert.equal(seen.at(-1).readEventId, '4');
    client.close();
  });

test('a refused read rejects with the server\'s error; one with no position to mark is a TypeError', async () => {
  const { server, client } = await connected();
  server.socket.onFrame = (frame) => {
    if (frame.type === 'read') {
      server.socket.send({ type: 'error', requestId: frame.requestId, code: 'forbidden',
        message: 'the token does not allow this session', retryable: false });
    }
  };
  await assert.rejects(client.markRead('secret', '3'), (error) => error.code === 'forbidden');
  await assert.rejects(client.markRead('user:ada'), TypeError);
  client.close();
});

test('off a WebSocket, markRead and listSessions use REST', async () => {
  const server = new FakeServer();
  server.http = (request) => {
    if (request.method === 'POST' && request.path === '/me/sessions/user%3Aada/read') {
      return json({ ...POSITIONS, readEventId: request.body.eventId, unread: 0 });
    }
    if (request.path === '/me/sessions') {
      return json({ sessions: [POSITIONS, { ...POSITIONS, sessionId: request.params.get('sessionId') }] });
    }
    return errorResponse(404, 'not_found');
  };
  const client = createClient(testOptions(server));
  const answer = await client.markRead('user:ada', 5);
  assert.equal(answer.readEventId, '5');
  assert.match(server.requests[0].headers.authorization, /^Bearer /);
  const listed = await client.listSessions({ sessionIds: ['chat:7'] });
  assert.deepEqual(listed.map((s) => s.sessionId), ['user:ada', 'chat:7']);
  client.close();
});

test('a positions frame nobody asked for (a read on another device) moves the read position here', async () => {
  const { server, client, seen } = await connected();
  server.socket.send(eventFrame('user:ada', '5'));
  server.socket.send({ type: 'positions', ...POSITIONS });
  await waitFor(() => seen.length === 1, 2000, 'positions');
  assert.equal(client.readPosition('user:ada'), '4');
  assert.equal(client.unread('user:ada'), 1);
  server.socket.send({ type: 'positions', ...POSITIONS, readEventId: '2' });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(client.readPosition('user:ada'), '4', 'a read position never moves back');
  client.close();
});
