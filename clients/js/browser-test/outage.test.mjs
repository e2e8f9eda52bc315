// Coming back quickly (docs/PROTOCOL.md, Recommended client behaviour), in headless Chromium against a real node:
// after the node was stopped for 20 s and started again, the page's client receives again within 3 s of the node
// being ready; and when the network under an open WebSocket silently stops carrying packets (the proxy mutes the
// connection without closing it), the client notices within two heartbeat intervals (10 s by default) and resumes.
// Every event arrives once and in order in both.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { browserUnavailable, launchChromium, skipBrowserTests } from './support/browser.mjs';
import { NodeProcess } from '../test/helpers/node-process.js';
import { startProxy } from './support/proxy.mjs';

const unavailable = browserUnavailable();
/** The node's default SB_HEARTBEAT_SEC, announced in `connected`: the client pings after that much quiet. */
const heartbeatSec = 5;

if (unavailable && !skipBrowserTests) {
  test('Debian Chromium is installed for the outage tests', () => {
    throw new Error(unavailable);
  });
}

describe('coming back after an outage, in Chromium', { skip: unavailable ?? false, timeout: 150_000 }, () => {
  let node;
  let proxy;
  let browser;

  before(async () => {
    node = await NodeProcess.start();
    proxy = await startProxy(node.port);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await proxy?.close();
    await node?.close();
  });

  /** A page connected on `transport` (any when not given). */
  async function openPage(session, transport) {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(`http://127.0.0.1:${proxy.port}/?session=${session}&transport=auto&name=Ada&autoconnect=1`);
    await page.waitForFunction((t) => window.switchboardPage.client?.state?.state === 'connected'
      && (!t || window.switchboardPage.client.state.transport === t), transport,
      { timeout: 20_000, polling: 50 });
    return page;
  }

  /**
   * Publishes over REST, one request each, straight to the node: what is timed is the page's way back, not a
   * publishing client's own reconnect.
   */
  async function publishRange(session, from, to) {
    const token = await node.token('publisher', 'Publisher');
    for (let n = from; n <= to; n++) {
      const response = await fetch(`${node.url}/sessions/${session}/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ eventType: 'count', payload: { n }, idempotencyKey: `${session}-${n}` }),
      });
      assert.equal(response.status, 201, `publish ${n}: ${await response.text()}`);
    }
  }

  const eventCount = (page) => page.evaluate(() => window.switchboardPage.events.length);

  async function assertExactlyOnceInOrder(page, count) {
    await page.waitForTimeout(300); // room for a duplicate, if any were coming
    const events = await page.evaluate(() => window.switchboardPage.events.map((e) => e.eventId));
    assert.deepEqual(events, Array.from({ length: count }, (_, i) => String(i + 1)), 'every eventId once, in order');
  }

  test('a node stopped for 20 s: the page receives again within 3 s of its restart', async () => {
    const session = 'outage-restart';
    const page = await openPage(session);
    await publishRange(session, 1, 10);
    await page.waitForFunction(() => window.switchboardPage.events.length >= 10, null, { timeout: 30_000 });
    await node.stop();
    await new Promise((done) => setTimeout(done, 20_000));
    await node.start(); // returns once /ready answers
    const ready = Date.now();
    const publishing = publishRange(session, 11, 20);
    await page.waitForFunction(() => window.switchboardPage.events.length >= 11, null, { timeout: 30_000, polling: 20 });
    const back = Date.now() - ready;
    await publishing;
    await page.waitForFunction(() => window.switchboardPage.events.length >= 20, null, { timeout: 15_000 });
    await assertExactlyOnceInOrder(page, 20);
    const states = await page.evaluate(() => window.switchboardPage.states.map((s) => `${s.state}/${s.transport}`));
    console.log(`outage 20 s: receiving again ${back} ms after the node was ready (${states.join(' > ')})`);
    assert.ok(back <= 3_000, `receiving again ${back} ms after the restart; the aim is 3 s`);
    await page.close();
  });

  test('a silently dead connection is noticed within two heartbeat intervals and resumed', async () => {
    const session = 'outage-silent';
    const page = await openPage(session, 'websocket'); // the open WebSocket is what goes silent
    await publishRange(session, 1, 5);
    await page.waitForFunction(() => window.switchboardPage.events.length >= 5, null, { timeout: 30_000 });
    proxy.muteAll();
    const muted = Date.now();
    await publishRange(session, 6, 10);
    assert.equal(await eventCount(page), 5, 'nothing passes a muted connection');
    await page.waitForFunction(() => window.switchboardPage.client.state.state !== 'connected', null,
      { timeout: 2 * heartbeatSec * 1000 + 2_000, polling: 50 }).catch(async (error) => {
      const states = await page.evaluate(() => window.switchboardPage.states.map((s) => `${s.state}/${s.transport}`));
      throw new Error(`still connected: ${states.join(' > ')}`, { cause: error });
    });
    const noticed = Date.now() - muted;
    await page.waitForFunction(() => window.switchboardPage.events.length >= 10, null, { timeout: 30_000 });
    const resumed = Date.now() - muted;
    await assertExactlyOnceInOrder(page, 10);
    console.log(`silent drop: noticed after ${noticed} ms, resumed after ${resumed} ms (heartbeatSec ${heartbeatSec})`);
    assert.ok(noticed <= 2 * heartbeatSec * 1000 + 500, `noticed after ${noticed} ms`);
    await page.close();
  });
});
