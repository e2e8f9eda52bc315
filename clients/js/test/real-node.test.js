// The client against a real node (the built jar), on every transport. Skipped, with the reason, when the jar has
// not been built: the rest of the unit tests need no server.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { createClient } from '../src/index.js';
import { JAR, jarMissingMessage, NodeProcess } from './helpers/node-process.js';
import { waitFor } from './helpers/fake-server.js';
import { recordClientFrame, recordServerFrame } from './helpers/frame-schemas.js';

/** `ws`'s WebSocket, with every frame in either direction checked against docs/asyncapi.yaml. */
class CheckedWebSocket extends WebSocket {
  constructor(url, ...rest) {
    super(url, ...rest);
    this.on('message', (data, isBinary) => {
      if (!isBinary) {
        recordServerFrame(data.toString());
      }
    });
  }

  send(data, ...rest) {
    recordClientFrame(JSON.parse(data));
    return super.send(data, ...rest);
  }
}

const skip = existsSync(JAR) ? false : `${jarMissingMessage()}; skipping the real-node tests`;
if (skip) {
  console.log(`# ${skip}`);
}

describe('against a real node', { skip, timeout: 60_000 }, () => {
  let node;
  const clients = [];

  before(async () => {
    node = await NodeProcess.start();
  });

  after(async () => {
    clients.forEach((c) => c.close());
    await node?.close();
  });

  function client(transport, extra = {}) {
    const c = createClient({
      url: node.url, WebSocket: CheckedWebSocket, transports: [transport], watchBrowser: false,
      token: () => node.token('ada', 'Ada'), ...extra,
    });
    clients.push(c);
    return c;
  }

  async function devToken(ttlSec, sessions = ['*']) {
    const response = await fetch(`${node.url}/dev/token`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sub: 'ada', sessions, publish: ['*'], ttlSec }),
    });
    return (await response.json()).token;
  }

  for (const transport of ['websocket', 'sse', 'poll']) {
    test(`${transport}: publish, receive in order, then resume a new client from the last position`, async () => {
      const session = `node-${transport}`;
      const events = [];
      const first = client(transport, { onEvent: (e) => events.push(e.eventId) });
      first.subscribe(session, { fromEventId: 0 }).connect();
      await waitFor(() => first.state.state === 'connected', 10_000);
      for (let n = 1; n <= 10; n++) {
        await first.publish(session, 'count', { n });
      }
      await waitFor(() => events.length === 10, 10_000, 'ten events');
      assert.deepEqual(events, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
      first.close();

      const publisher = client('websocket');
      for (let n = 11; n <= 15; n++) {
        await publisher.publish(session, 'count', { n });
      }
      const resumed = [];
      const second = client(transport, { onEvent: (e) => resumed.push(e.eventId) });
      second.subscribe(session, { fromEventId: first.position(session) }).connect();
      await waitFor(() => resumed.length === 5, 10_000, 'the five missed events');
      assert.deepEqual(resumed, ['11', '12', '13', '14', '15']);
    });
  }

  test('sse: one stream for two sessions, one resumed from a position and one live, then resumed after a drop',
    async () => {
      const publisher = client('websocket');
      for (let n = 1; n <= 3; n++) {
        await publisher.publish('multi-a', 'count', { n });
        await publisher.publish('multi-b', 'count', { n });
      }
      const seen = [];
      const c = client('sse', { onEvent: (e) => seen.push(`${e.sessionId}/${e.eventId}`) });
      c.subscribe('multi-a', { fromEventId: 1 }).subscribe('multi-b').connect();
      // Both sessions at their heads first: the server keeps no order between sessions, so a's replay may still be
      // under way when b is live.
      await waitFor(() => c.state.state === 'connected' && c.position('multi-b') === '3'
        && c.position('multi-a') === '3', 10_000, 'both at their heads');
      await publisher.publish('multi-b', 'count', { n: 4 });
      await waitFor(() => seen.length === 3, 10_000);
      assert.deepEqual(seen, ['multi-a/2', 'multi-a/3', 'multi-b/4']);
      await node.restart();
      await publisher.publish('multi-a', 'count', { n: 4 });
      await publisher.publish('multi-b', 'count', { n: 5 });
      await waitFor(() => seen.length === 5, 15_000, 'both sessions resumed');
      assert.deepEqual(seen.slice(3).sort(), ['multi-a/4', 'multi-b/5']);
    });

  test('a retried publish (same idempotency key) is stored once', async () => {
    const c = client('sse');
    const first = await c.publish('idem', 'vote', { option: 'a' }, { idempotencyKey: 'vote-ada-1' });
    const again = await c.publish('idem', 'vote', { option: 'a' }, { idempotencyKey: 'vote-ada-1' });
    assert.equal(again.eventId, first.eventId);
    assert.equal(again.duplicate, true);
    const history = await (await fetch(`${node.url}/sessions/idem/events?after=0`, {
      headers: { Authorization: `Bearer ${await node.token('ada')}` },
    })).json();
    assert.equal(history.events.length, 1);
    // Over a WebSocket the ack says the same.
    const ws = client('websocket');
    ws.connect();
    await waitFor(() => ws.state.state === 'connected', 10_000);
    const overSocket = await ws.publish('idem', 'vote', { option: 'b' }, { idempotencyKey: 'vote-ada-1' });
    assert.deepEqual(overSocket, { ...first, duplicate: true });
    assert.equal(first.duplicate, false);
  });

  test('short-lived tokens are refreshed before exp: the connection lives on (WebSocket and SSE)', async () => {
    const received = { websocket: [], sse: [] };
    const tokens = { websocket: 0, sse: 0 };
    for (const transport of ['websocket', 'sse']) {
      const c = client(transport, {
        token: () => {
          tokens[transport]++;
          return devToken(3);
        },
        onEvent: (e) => received[transport].push(e.eventId),
      });
      c.subscribe('refresh', { fromEventId: 0 }).connect();
    }
    await waitFor(() => clients.slice(-2).every((c) => c.state.state === 'connected'), 10_000);
    const publisher = client('websocket');
    // Deliberately on the wall clock: the node checks `exp` against its own clock, so the only way to show that the
    // connections outlive their first 3 s tokens is to let those expire. Five publishes a second apart span them.
    for (let n = 1; n <= 5; n++) {
      await publisher.publish('refresh', 'tick', { n });
      await new Promise((done) => setTimeout(done, 1000));
    }
    await waitFor(() => received.websocket.length === 5 && received.sse.length === 5, 5_000);
    assert.deepEqual(received.websocket, ['1', '2', '3', '4', '5']);
    assert.deepEqual(received.sse, ['1', '2', '3', '4', '5']);
    assert.ok(tokens.websocket >= 2 && tokens.sse >= 2, `refreshed: ${JSON.stringify(tokens)}`);
  });

  test('session tokens: a session the connection token does not allow is followed on every transport, its short-lived '
    + 'session tokens refreshed before exp without a gap', async () => {
    const received = { websocket: [], sse: [], poll: [] };
    const asked = { websocket: 0, sse: 0, poll: 0 };
    for (const transport of Object.keys(received)) {
      const c = client(transport, {
        token: () => devToken(600, ['open-*']),
        onEvent: (e) => received[transport].push(e.eventId),
      });
      c.subscribe(`granted-${transport}`, { fromEventId: 0, sessionToken: ({ sessionId }) => {
        asked[transport]++;
        return node.sessionToken('ada', sessionId, 3);
      } }).connect();
    }
    await waitFor(() => clients.slice(-3).every((c) => c.state.state === 'connected'), 10_000);
    const publisher = client('websocket');
    // On the wall clock, as the token refresh test above: the node checks `exp` against its own clock.
    for (let n = 1; n <= 5; n++) {
      await Promise.all(Object.keys(received).map((t) => publisher.publish(`granted-${t}`, 'tick', { n })));
      await new Promise((done) => setTimeout(done, 1000));
    }
    await waitFor(() => Object.values(received).every((events) => events.length === 5), 10_000, 'five events each');
    for (const events of Object.values(received)) {
      assert.deepEqual(events, ['1', '2', '3', '4', '5']);
    }
    assert.ok(Object.values(asked).every((n) => n >= 2), `refreshed: ${JSON.stringify(asked)}`);
  });

  for (const transport of ['sse', 'poll']) {
    test(`${transport}: a refreshed token that no longer allows a session drops and reports it; the other goes on`,
      async () => {
        const kept = `narrowed-${transport}-kept`;
        const lost = `narrowed-${transport}-lost`;
        const publisher = client('websocket');
        await publisher.publish(kept, 'count', { n: 1 });
        await publisher.publish(lost, 'count', { n: 1 });
        const seen = [];
        const errors = [];
        const states = [];
        let tokens = 0;
        const c = client(transport, {
          // The first token allows both sessions and lives 4 s, so the client asks for the next one about 3 s in,
          // before exp, and reopens its stream or polls with it: the next allows one session only.
          token: () => (++tokens === 1 ? devToken(4, [kept, lost]) : devToken(600, [kept])),
          onEvent: (e) => seen.push(`${e.sessionId}/${e.eventId}`),
          onError: (e) => errors.push(e),
          onState: (s) => states.push(s.state),
        });
        c.subscribe(kept, { fromEventId: 0 }).subscribe(lost, { fromEventId: 0 }).connect();
        await waitFor(() => seen.length === 2, 10_000, 'the first event of each session');
        await waitFor(() => errors.some((e) => e.sessionId === lost), 10_000, 'the lost session reported');
        assert.equal(tokens, 2);
        assert.deepEqual(errors.map((e) => [e.code, e.sessionId]), [['forbidden', lost]]);
        assert.deepEqual(c.sessions, [kept]);
        await publisher.publish(lost, 'count', { n: 2 });
        await publisher.publish(kept, 'count', { n: 2 });
        await waitFor(() => seen.includes(`${kept}/2`), 10_000, 'the kept session goes on');
        assert.deepEqual(seen.filter((e) => e.startsWith(lost)), [`${lost}/1`], 'nothing of the lost session after');
        assert.equal(c.state.state, 'connected');
        assert.ok(!states.includes('closed'), `states: ${states.join(', ')}`);
      });
  }

  for (const transport of ['websocket', 'sse']) {
    test(`${transport}: read on one client is where a fresh client of the same user starts, with unread counts`,
      async () => {
        const session = `reads-${transport}`;
        const publisher = client('websocket', { token: () => node.token('pub', 'Pub') });
        for (let n = 1; n <= 4; n++) {
          await publisher.publish(session, 'note', { n });
        }
        const reader = client(transport);
        const seen = [];
        reader.subscribe(session, { fromEventId: 0 }).on('event', (e) => seen.push(e.eventId));
        reader.connect();
        await waitFor(() => seen.length === 4, 10_000, 'four events');
        const marked = await reader.markRead(session, '2');
        assert.deepEqual(marked, { sessionId: session, lastEventId: '4', deliveredEventId: marked.deliveredEventId,
          readEventId: '2', unread: 2 });
        assert.equal((await reader.markRead(session, '1')).readEventId, '2', 'a read position never moves back');

        const fresh = client(transport);
        const resumed = [];
        fresh.subscribe(session).on('event', (e) => resumed.push(e.eventId));
        fresh.connect();
        await waitFor(() => resumed.length === 2 && fresh.readPosition(session) !== null, 10_000, 'from read');
        assert.deepEqual(resumed, ['3', '4']);
        assert.equal(fresh.readPosition(session), '2');
        assert.equal(fresh.unread(session), 2);
        const listed = await fresh.listSessions({ sessionIds: [session] });
        assert.deepEqual(listed.find((s) => s.sessionId === session)?.unread, 2);
      });
  }

  test('presence: a second user joining is seen, and signals reach the other client', async () => {
    const presence = [];
    const signals = [];
    const ada = client('websocket', { onPresence: (p) => presence.push(p), onSignal: (s) => signals.push(s) });
    ada.subscribe('room').connect();
    await waitFor(() => ada.state.state === 'connected', 10_000);
    const grace = client('websocket', { token: () => node.token('grace', 'Grace') });
    grace.subscribe('room').connect();
    await waitFor(() => ada.presence('room').some((u) => u.userId === 'grace'), 10_000, 'grace present');
    assert.equal(ada.presence('room').find((u) => u.userId === 'grace').name, 'Grace');
    await waitFor(() => grace.state.state === 'connected');
    // The node answers each subscribe with a presence.state: once grace holds ada's, its subscription is in place.
    await waitFor(() => grace.presence('room').some((u) => u.userId === 'ada'), 10_000, "grace's subscription");
    assert.equal(grace.signal('room', 'typing', { on: true }), true);
    await waitFor(() => signals.length === 1, 5_000, 'signal');
    assert.equal(signals[0].userId, 'grace');
  });

  for (const transport of ['websocket', 'sse', 'poll']) {
    test(`${transport}: a live subscription reports where it starts; history pages forward and back`, async () => {
      const session = `history-${transport}`;
      const writer = client('websocket');
      for (let n = 1; n <= 7; n++) {
        await writer.publish(session, 'line', { n });
      }
      const replayed = [];
      const reader = client(transport, { onReplayed: (r) => replayed.push(r) });
      reader.subscribe(session).connect();
      await waitFor(() => replayed.length === 1, 10_000, 'replayed');
      assert.deepEqual(replayed[0], { sessionId: session, lastEventId: '7' });
      const last = await reader.history(session, { before: '8', limit: 3 });
      assert.deepEqual(last.events.map((e) => e.payload.n), [5, 6, 7]);
      const earlier = await reader.history(session, { before: last.events[0].eventId, limit: 3 });
      assert.deepEqual(earlier.events.map((e) => e.payload.n), [2, 3, 4]);
      const first = await reader.history(session, { before: earlier.events[0].eventId, limit: 3 });
      assert.deepEqual(first.events.map((e) => e.payload.n), [1]);
      assert.deepEqual((await reader.history(session, { before: '1' })).events, []);
      const forward = await reader.history(session, { after: '5' });
      assert.deepEqual(forward, { events: forward.events, lastEventId: '7' });
      assert.deepEqual(forward.events.map((e) => e.eventId), ['6', '7']);
    });
  }
});
