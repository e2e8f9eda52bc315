// The node over TLS (SB_TLS_CERT_FILE, a certificate made with openssl at test time) in headless Chromium: the page's
// navigation is HTTP/2, one page opens eight EventSources at once (HTTP/1.1 stops at six per host) and each receives
// its events, and the JavaScript client works unchanged over wss:// and https:// SSE in the browser and in Node.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { createClient } from '../src/index.js';
import { browserUnavailable, launchChromium, skipBrowserTests } from './support/browser.mjs';
import { NodeProcess } from '../test/helpers/node-process.js';

// The certificate is self-signed: this test process's own fetch and ws (the publisher, the readiness checks) accept
// it; Chromium is told to with --ignore-certificate-errors.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
const STREAMS = 8;
const unavailable = browserUnavailable();

if (unavailable && !skipBrowserTests) {
  test('Debian Chromium is installed for the browser tests', () => {
    throw new Error(unavailable);
  });
}

/** A self-signed EC certificate for 127.0.0.1 and localhost, as README.md's one command makes it. */
function selfSigned() {
  const dir = mkdtempSync(join(tmpdir(), 'sb-tls-'));
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

describe('the node over TLS in Chromium', { skip: unavailable ?? false, timeout: 120_000 }, () => {
  let node;
  let browser;
  let publisher;

  before(async () => {
    const { cert, key } = selfSigned();
    node = await NodeProcess.start({ env: { SB_TLS_CERT_FILE: cert, SB_TLS_KEY_FILE: key } });
    browser = await launchChromium(['--ignore-certificate-errors']);
    publisher = createClient({ url: node.url, token: () => node.token('publisher', 'Publisher'), watchBrowser: false });
  });

  after(async () => {
    publisher?.close();
    await browser?.close();
    await node?.close();
  });

  test(`one page over HTTP/2 opens ${STREAMS} EventSources and each gets its session's events`, async () => {
    const page = await browser.newPage();
    await page.goto(`${node.url}/health`);
    assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol), 'h2');
    const token = await node.token('reader', 'Reader');
    await page.evaluate(({ count, token }) => {
      window.received = Array.from({ length: count }, () => []);
      window.opened = 0;
      for (let i = 0; i < count; i++) {
        const source = new EventSource(`/events?sessionId=tls-${i}&access_token=${encodeURIComponent(token)}`);
        source.onopen = () => { window.opened++; };
        source.onmessage = (message) => {
          const frame = JSON.parse(message.data);
          if (frame.type === 'event') {
            window.received[i].push(frame.payload.n);
          }
        };
      }
    }, { count: STREAMS, token });
    await page.waitForFunction((count) => window.opened === count, STREAMS, { timeout: 20_000, polling: 50 });
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i < STREAMS; i++) {
        await publisher.publish(`tls-${i}`, 'count', { n });
      }
    }
    await page.waitForFunction((count) => window.received.every((events) => events.length >= 3), STREAMS,
      { timeout: 20_000, polling: 50 });
    assert.deepEqual(await page.evaluate(() => window.received), Array.from({ length: STREAMS }, () => [1, 2, 3]));
    await page.close();
  });

  for (const transport of ['websocket', 'sse']) {
    test(`the page's client over https:// with ${transport} gets every event in order`, async () => {
      const session = `tls-page-${transport}`;
      const page = await browser.newPage();
      await page.goto(`${node.url}/?session=${session}&transport=${transport}&name=Ada&autoconnect=1`);
      await page.waitForFunction((t) => {
        const state = window.switchboardPage.client?.state;
        return state?.state === 'connected' && state.transport === t;
      }, transport, { timeout: 20_000, polling: 50 });
      for (let n = 1; n <= 10; n++) {
        await publisher.publish(session, 'count', { n });
      }
      await page.waitForFunction(() => window.switchboardPage.events.length >= 10, null,
        { timeout: 20_000, polling: 50 });
      const events = await page.evaluate(() => window.switchboardPage.events.map((e) => e.payload?.n));
      assert.deepEqual(events, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await page.close();
    });
  }

  test('the client in Node over wss:// receives what is published', async () => {
    const session = 'tls-node-client';
    // Node 20 has no WebSocket of its own: ws's, as a Node application would pass it.
    const reader = createClient({ url: node.url, token: () => node.token('node-reader', 'Reader'), WebSocket,
      watchBrowser: false });
    try {
      const got = [];
      reader.on('event', (event) => got.push(event.payload.n));
      reader.subscribe(session).connect();
      await new Promise((done, fail) => {
        const deadline = setTimeout(() => fail(new Error('not connected over wss://')), 20_000);
        const check = setInterval(() => {
          if (reader.state.state === 'connected') {
            clearInterval(check);
            clearTimeout(deadline);
            done();
          }
        }, 50);
      });
      assert.equal(reader.state.transport, 'websocket');
      for (let n = 1; n <= 5; n++) {
        await publisher.publish(session, 'count', { n });
      }
      const deadline = Date.now() + 20_000;
      while (got.length < 5 && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 50));
      }
      assert.deepEqual(got, [1, 2, 3, 4, 5]);
    } finally {
      reader.close();
    }
  });
});
