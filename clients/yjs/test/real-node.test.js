// The provider against a real node (the built jar, started as clients/js's tests start it): concurrent editing
// converges, and a provider cut off mid-edit, on WebSocket, SSE or long polling, resumes, sends only what the log
// lacks and applies nothing twice. Skipped, with the reason, when the jar has not been built.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';
import { converge, JAR, jarMissingMessage, NodeProcess, pause, Providers, startProxy, type, waitFor }
  from './support/providers.js';

const skip = existsSync(JAR) ? false : `${jarMissingMessage()}; skipping the provider's real-node tests`;
if (skip) {
  console.log(`# ${skip}`);
}

describe('SwitchboardProvider against a real node', { skip, timeout: 90_000 }, () => {
  let node;
  let proxy;
  let providers;

  before(async () => {
    node = await NodeProcess.start();
    proxy = await startProxy(node.port);
    providers = new Providers(node);
  });

  afterEach(() => providers.destroyAll());

  after(async () => {
    await proxy?.close();
    await node?.close();
  });

  /** Stored update events of the session: each of them counts once in its publisher's `published`. */
  async function storedUpdates(sessionId) {
    return (await providers.stored(sessionId)).filter((e) => e.eventType === 'yjs.update');
  }

  test('two documents edited concurrently converge; each stored update is applied once by the other', async () => {
    const a = providers.open('doc-concurrent', 'ada', { ownClient: true });
    const b = providers.open('doc-concurrent', 'bob', { ownClient: true });
    await waitFor(() => a.synced && b.synced, 'both providers synced');
    assert.equal(a.status, 'connected');

    await Promise.all([type(a, 'a', 40), type(b, 'b', 40)]);
    await converge(a, b);

    const text = a.doc.getText('t').toString();
    assert.equal(text.length, 80);
    assert.equal([...text].filter((c) => c === 'a').length, 40);
    const stored = await storedUpdates('doc-concurrent');
    // Merging: fewer publishes than keystrokes, and every publish stored once.
    assert.ok(a.publishes.published < 40, `ada published ${a.publishes.published} times for 40 keystrokes`);
    assert.equal(stored.length, a.publishes.published + b.publishes.published);
    await waitFor(() => a.applied === b.publishes.published && b.applied === a.publishes.published,
      'each side to apply the other\'s updates');

    a.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitFor(() => b.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada', 'Ada\'s awareness at Bob');
  });

  for (const transport of ['websocket', 'sse', 'poll']) {
    test(`${transport}: one cut off mid-edit reconnects: both converge, nothing applied or stored twice`, async () => {
      const session = `doc-cutoff-${transport}`;
      // The one cut off goes through the proxy (WebSocket: its socket is killed instead); the other is direct.
      const a = providers.open(session, 'ada', transport === 'websocket' ? {} : { url: `http://127.0.0.1:${proxy.port}`,
        transports: [transport] });
      const b = providers.open(session, 'bob');
      await waitFor(() => a.synced && b.synced && a.status === 'connected', 'both providers synced');
      assert.equal(a.client.state.transport, transport);
      const statuses = [];
      a.on('status', ({ status }) => statuses.push(status));

      const typing = Promise.all([type(a, 'a', 60), type(b, 'b', 60)]);
      await pause(60);
      if (transport === 'websocket') {
        assert.equal(a.sockets.size, 1);
        [...a.sockets][0].terminate();
      } else {
        // The network goes away until the provider notices (a long poll cut once would just be asked again).
        proxy.rules.refuseAll = true;
        proxy.dropAll();
        await waitFor(() => a.status === 'connecting', 'the provider to notice the cut');
        proxy.rules.refuseAll = false;
      }
      await typing;
      await converge(a, b);

      assert.ok(statuses.includes('connecting') && statuses.at(-1) === 'connected', `statuses ${statuses}`);
      assert.equal(a.client.state.transport, transport);
      const text = a.doc.getText('t').toString();
      assert.equal(text.length, 120);
      const stored = await storedUpdates(session);
      assert.equal(stored.length, a.publishes.published + b.publishes.published, 'every batch stored once');
      // One publish in flight: at most the batch whose answer the cut lost is sent again (and stored once).
      assert.ok(a.publishes.duplicates <= 1, `ada resent ${a.publishes.duplicates} stored batches`);
      await waitFor(() => a.applied === b.publishes.published && b.applied === a.publishes.published,
        'each side to apply each of the other\'s stored updates exactly once');
    });
  }
});
