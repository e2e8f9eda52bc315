// What every example test shares: one real node (the built jar) behind a proxy that can refuse WebSocket, one
// headless Debian Chromium, and helpers to open an example as a user in a browser context of its own.
import { existsSync } from 'node:fs';
import { NodeProcess } from '../../../clients/js/test/helpers/node-process.js';
import { startProxy } from '../../../clients/js/browser-test/support/proxy.mjs';

export const CHROMIUM = process.env.SB_CHROMIUM ?? '/usr/bin/chromium';
export const skipBrowserTests = process.env.SB_SKIP_BROWSER_TESTS === '1';

/** Why the tests cannot run, or null. */
export function browserUnavailable() {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y `
    + 'chromium), or set SB_SKIP_BROWSER_TESTS=1 to skip the browser tests';
}

/** The string every test feeds in as user content: it must show as these characters and run nothing. */
export const XSS = '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">';

export class Harness {
  node;
  proxy;
  browser;
  #contexts = [];

  /** Starts the node (with the default publish limit, 100 a minute: the task board shows it) and Chromium. */
  async start() {
    this.node = await NodeProcess.start({ env: { SB_PUBLISH_RATE: '100', SB_PUBLISH_BURST: '20' } });
    this.proxy = await startProxy(this.node.port);
    const { chromium } = await import('playwright-core');
    // Playwright gives a launched browser a fresh temporary profile of its own; every context is isolated too.
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }

  async close() {
    for (const context of this.#contexts) {
      await context.close().catch(() => {});
    }
    await this.browser?.close();
    await this.proxy?.close();
    await this.node?.close();
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.proxy.port}`;
  }

  /**
   * A page in a fresh browser context (its own storage: another user or another device), sized like a phone when
   * `phone` is set; through the proxy unless `base` says otherwise. Page errors and dialogs are collected in
   * `page.problems`.
   */
  async open(path, { phone = false, base = this.baseUrl } = {}) {
    const context = await this.browser.newContext({
      viewport: phone ? { width: 390, height: 780 } : { width: 1180, height: 820 },
      isMobile: phone,
    });
    this.#contexts.push(context);
    const page = await context.newPage();
    page.problems = [];
    page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      page.problems.push(`dialog: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });
    page.on('console', (message) => {
      if (message.type() === 'error') {
        page.problems.push(`console: ${message.text()}`);
      }
    });
    await page.goto(base + path);
    return page;
  }

  /** Waits until the page's connection badge says connected (over `transport`, when given). */
  async connected(page, transport) {
    await page.waitForFunction((t) => {
      const badge = document.getElementById('status');
      return badge?.dataset.state === 'connected' && (!t || badge.dataset.transport === t);
    }, transport, { timeout: 20_000, polling: 50 });
  }

  /**
   * Publishes events over REST as `users` taking turns (each user's publish budget is 20 at once), in order:
   * `payloads` are the events' payloads.
   */
  async publish(sessionId, eventType, payloads, users = ['seed-a', 'seed-b', 'seed-c']) {
    const tokens = await Promise.all(users.map((user) => this.node.token(user, user)));
    const eventIds = [];
    for (const [index, payload] of payloads.entries()) {
      const response = await fetch(`${this.node.url}/sessions/${encodeURIComponent(sessionId)}/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokens[index % tokens.length]}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ eventType, payload }),
      });
      if (response.status !== 201) {
        throw new Error(`seeding ${sessionId} answered ${response.status}`);
      }
      eventIds.push((await response.json()).eventId);
    }
    return eventIds;
  }

  /** Refuses every WebSocket upgrade while `run` runs, so the client falls back to SSE. */
  async withoutWebSocket(run) {
    this.proxy.rules.blockWebSocket = true;
    try {
      return await run();
    } finally {
      this.proxy.rules.blockWebSocket = false;
    }
  }
}

/** Fails when any XSS payload ran or the page reported errors (apart from the refused image the payload asks for). */
export async function assertNothingRan(assert, page) {
  assert.equal(await page.evaluate(() => window.__pwned ?? 0), 0, 'no injected script ran');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no injected element exists');
  const problems = page.problems.filter((p) => !/Failed to load resource/.test(p));
  assert.deepEqual(problems, [], 'the page reported no errors');
}
