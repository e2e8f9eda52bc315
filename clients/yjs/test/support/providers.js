// What the provider's real-node tests share: providers on a node (directly, or through a proxy that can cut them off),
// typing, waiting for convergence, and reading what the log stored.
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createClient } from '@switchboard/client';
import { SwitchboardProvider } from '../../src/index.js';

export { JAR, jarMissingMessage, NodeProcess } from '../../../js/test/helpers/node-process.js';
export { startProxy } from '../../../js/browser-test/support/proxy.mjs';

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

export async function waitFor(condition, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!await condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((done) => setTimeout(done, 20));
  }
}

export const pause = (ms) => new Promise((done) => setTimeout(done, ms));

/** Makes providers on one node and destroys them all at the end. */
export class Providers {
  #node;
  #all = [];

  constructor(node) {
    this.#node = node;
  }

  /**
   * A provider for `user` in `sessionId`, on `url` (default: the node's own) with `transports` (default: WebSocket);
   * `options` go to the provider.
   */
  open(sessionId, user, { url = this.#node.url, transports = ['websocket'], ownClient = false, ...options } = {}) {
    const doc = new Y.Doc();
    const sockets = killableWebSocket();
    const token = () => this.#node.token(user);
    let p;
    if (ownClient) {
      // The provider makes, connects and closes its client itself.
      p = new SwitchboardProvider({ url, token, WebSocket: sockets, transports, sessionId, doc,
        awarenessIntervalMs: 100, ...options });
    } else {
      const client = createClient({ url, token, WebSocket: sockets, transports });
      p = new SwitchboardProvider({ client, sessionId, doc, awarenessIntervalMs: 100, ...options });
      client.connect();
    }
    p.sockets = sockets.open;
    this.#all.push(p);
    return p;
  }

  destroyAll() {
    for (const p of this.#all.splice(0)) {
      p.destroy();
      p.client.close();
      p.doc.destroy();
    }
  }

  /** Every stored event of the session, in order. */
  async stored(sessionId) {
    const reader = createClient({ url: this.#node.url, token: () => this.#node.token('reader') });
    try {
      const events = [];
      let after = '0';
      for (;;) {
        const page = await reader.history(sessionId, { after, limit: 1000 });
        events.push(...page.events);
        if (page.events.length < 1000) {
          return events;
        }
        after = page.lastEventId;
      }
    } finally {
      reader.close();
    }
  }
}

/** Types `count` characters at random places, `gapMs` apart. */
export async function type(p, letter, count, gapMs = 3) {
  const text = p.doc.getText('t');
  for (let i = 0; i < count; i++) {
    text.insert(Math.floor(Math.random() * (text.length + 1)), letter);
    await pause(gapMs);
  }
}

/** Waits until every local update is stored and the documents hold the same state. */
export async function converge(...providers) {
  await Promise.all(providers.map((p) => p.flushed()));
  const text = (p) => p.doc.getText('t').toString();
  await waitFor(() => providers.every((p) => text(p) === text(providers[0])), 'the documents to converge');
  for (const p of providers.slice(1)) {
    assert.deepEqual(Y.encodeStateVector(p.doc), Y.encodeStateVector(providers[0].doc));
  }
}
