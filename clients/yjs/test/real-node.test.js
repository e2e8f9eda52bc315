// The provider against a real node (the built jar, started as clients/js's tests start it): concurrent editing
// converges, and a provider cut off mid-edit resumes, sends only what the log lacks and applies nothing twice.
// Skipped, with the reason, when the jar has not been built.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createClient } from '@switchboard/client';
import { SwitchboardProvider } from '../src/index.js';
import { JAR, jarMissingMessage, NodeProcess } from '../../js/test/helpers/node-process.js';

/** A `ws` WebSocket class of its own per provider, remembering its open sockets so a test can cut them off. */
function killableWebSocket() {
  return class KillableWebSocket extends WebSocket {
    static open = new Set();

    constructor(...args) {
      super(...args);
      KillableWebSocket.open.add(this);
      this.on('close', () => KillableWebSocket.open.delete(this));
    }
  };
}

async function waitFor(condition, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((done) => setTimeout(done, 20));
  }
}

const pause = (ms) => new Promise((done) => setTimeout(done, ms));

const skip = existsSync(JAR) ? false : `${jarMissingMessage()}; skipping the provider's real-node tests`;
if (skip) {
  console.log(`# ${skip}`);
}

describe('SwitchboardProvider against a real node', { skip, timeout: 60_000 }, () => {
  let node;
  const providers = [];

  before(async () => {
    node = await NodeProcess.start();
  });

  after(async () => {
    providers.forEach((p) => {
      p.destroy();
      p.doc.destroy();
    });
    await node?.close();
  });

  function provider(sessionId, user) {
    const doc = new Y.Doc();
    const sockets = killableWebSocket();
    const p = new SwitchboardProvider({ url: node.url, token: () => node.token(user), sessionId, doc,
      WebSocket: sockets, awarenessIntervalMs: 100 });
    p.sockets = sockets.open;
    providers.push(p);
    return p;
  }

  /** Types `count` characters at random places, a few milliseconds apart. */
  async function type(p, letter, count) {
    const text = p.doc.getText('t');
    for (let i = 0; i < count; i++) {
      text.insert(Math.floor(Math.random() * (text.length + 1)), letter);
      await pause(3);
    }
  }

  async function storedUpdates(sessionId) {
    const reader = createClient({ url: node.url, token: () => node.token('reader') });
    try {
      return (await reader.history(sessionId, { limit: 1000 })).events.filter((e) => e.eventType === 'yjs.update');
    } finally {
      reader.close();
    }
  }

  async function converge(a, b) {
    await Promise.all([a.flushed(), b.flushed()]);
    await waitFor(() => a.doc.getText('t').toString() === b.doc.getText('t').toString(), 'the documents to converge');
    assert.deepEqual(Y.encodeStateVector(a.doc), Y.encodeStateVector(b.doc));
  }

  test('two documents edited concurrently converge; each stored update is applied once by the other', async () => {
    const a = provider('doc-concurrent', 'ada');
    const b = provider('doc-concurrent', 'bob');
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

  test('one cut off mid-edit reconnects: both converge, nothing applied twice, nothing stored twice', async () => {
    const a = provider('doc-cutoff', 'ada');
    const b = provider('doc-cutoff', 'bob');
    await waitFor(() => a.synced && b.synced, 'both providers synced');
    const statuses = [];
    a.on('status', ({ status }) => statuses.push(status));

    const typing = Promise.all([type(a, 'a', 60), type(b, 'b', 60)]);
    await pause(60);
    assert.equal(a.sockets.size, 1);
    [...a.sockets][0].terminate();
    await typing;
    await converge(a, b);

    assert.ok(statuses.includes('connecting') && statuses.at(-1) === 'connected', `statuses ${statuses}`);
    const text = a.doc.getText('t').toString();
    assert.equal(text.length, 120);
    const stored = await storedUpdates('doc-cutoff');
    assert.equal(stored.length, a.publishes.published + b.publishes.published, 'every batch stored once');
    await waitFor(() => a.applied === b.publishes.published && b.applied === a.publishes.published,
      'each side to apply each of the other\'s stored updates exactly once');
  });
});
