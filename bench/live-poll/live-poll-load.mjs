// Load check of the live poll example (examples/live-poll): one display in headless Debian Chromium and N simulated
// participants (default 500), each a JavaScript client of its own on a WebSocket, subscribed to the poll as the
// participant page is, voting within a few seconds. Checks that the display's totals equal the votes the server
// acknowledged, and measures, for each vote, the time from its acknowledgement to the display showing it.
//
//   cd bench/live-poll && npm ci && node live-poll-load.mjs [--voters 500] [--rounds 3] [--spread-ms 3000]
//
// Needs the built jar (server/target/switchboard.jar, or SB_SERVER_JAR). Loopback only; stops by itself.
import { parseArgs } from 'node:util';
import { cpuUsage } from 'node:process';
import WebSocket from 'ws';
import { chromium } from 'playwright-core';
import { createClient } from '../../clients/js/src/index.js';
import { NodeProcess } from '../../clients/js/test/helpers/node-process.js';

const { values: args } = parseArgs({ options: {
  voters: { type: 'string', default: '500' },
  rounds: { type: 'string', default: '3' },
  'spread-ms': { type: 'string', default: '3000' },
  subscribe: { type: 'boolean', default: false },
} });
const VOTERS = Number(args.voters);
const ROUNDS = Number(args.rounds);
const SPREAD_MS = Number(args['spread-ms']);
// Participants' pages subscribe to the poll and receive every vote; 500 of them in one Node process make the
// generator the bottleneck (its acks are then seen late, after the display has the vote), so by default the
// simulated participants only connect and vote; --subscribe makes them subscribe as the page does.
const SUBSCRIBE = args.subscribe;
const ROOM = 'bench';
const SESSION = `poll:${ROOM}`;
const OPTIONS = ['Red', 'Green', 'Blue', 'Yellow'];

const node = await NodeProcess.start({ env: { SB_PUBLISH_RATE: '100' } });
const browser = await chromium.launch({ executablePath: process.env.SB_CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const clients = [];
try {
  const presenter = client('presenter', 'presenter', [SESSION]);
  // The display, as a projector would show it; it records when each total appears (its clock is this machine's).
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${node.url}/examples/live-poll/?room=${ROOM}&role=display&name=Screen`);
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'connected');
  await page.evaluate(() => {
    window.benchTotals = [];
    new MutationObserver(() => {
      const total = document.querySelector('#screen .total')?.dataset.total;
      if (total !== undefined) {
        window.benchTotals.push([Date.now(), document.querySelector('#screen h2').textContent, Number(total)]);
      }
    }).observe(document.getElementById('screen'), { childList: true, subtree: true });
  });

  console.log(`connecting ${VOTERS} participants (${SUBSCRIBE ? 'subscribed' : 'not subscribed'})...`);
  const voters = [];
  for (let i = 0; i < VOTERS; i++) {
    const voter = client(`voter-${i}`, 'participant', [SESSION]);
    voters.push((SUBSCRIBE ? voter.subscribe(SESSION, { fromEventId: 0 }) : voter).connect());
  }
  await waitFor(() => voters.every((v) => v.state.state === 'connected'), 60_000, 'participants connected');
  if (SUBSCRIBE) {
    await page.waitForFunction((n) => Number(document.getElementById('presence-count').dataset.count) >= n,
      VOTERS + 1, { timeout: 30_000 });
  }

  const allLatencies = [];
  const lastAckLatencies = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const questionId = `q${round}`;
    const text = `Round ${round}: favourite colour?`;
    const created = await presenter.publish(SESSION, 'question.created', { questionId, text, options: OPTIONS });
    await presenter.publish(SESSION, 'question.opened', { questionId });
    await page.waitForFunction((t) => document.querySelector('#screen h2')?.textContent === t, text);
    // A vote's eventId E is the (E - opened)-th vote of the round: the display shows it once its total reaches that.
    const opened = Number(created.eventId) + 1;
    const cpuBefore = cpuUsage();
    const started = Date.now();
    const acks = await Promise.all(voters.map(async (voter, i) => {
      await sleep(Math.random() * SPREAD_MS);
      const option = i % OPTIONS.length;
      const result = await voter.publish(SESSION, 'vote', { questionId, option },
        { idempotencyKey: `vote:${questionId}` });
      return { at: Date.now(), rank: Number(result.eventId) - opened, option, duplicate: result.duplicate };
    }));
    const generatorCpu = cpuUsage(cpuBefore);
    const acked = acks.filter((a) => !a.duplicate).length;
    const lastAck = Math.max(...acks.map((a) => a.at));
    await page.waitForFunction((n) => Number(document.querySelector('#screen .total')?.dataset.total) === n, acked,
      { timeout: 30_000, polling: 20 });
    const totals = (await page.evaluate(() => window.benchTotals.splice(0))).filter(([, t]) => t === text);
    const bars = await page.$$eval('.bar', (items) => items.map((b) => Number(b.dataset.count)));
    const expected = OPTIONS.map((_, o) => acks.filter((a) => a.option === o && !a.duplicate).length);
    const shownAt = (rank) => totals.find(([, , total]) => total >= rank)?.[0];
    const latencies = acks.map((a) => shownAt(a.rank) - a.at);
    allLatencies.push(...latencies);
    const lastAckLatency = shownAt(acked) - lastAck;
    lastAckLatencies.push(lastAckLatency);
    const ok = JSON.stringify(bars) === JSON.stringify(expected);
    console.log(`round ${round}: ${acked} votes acknowledged in ${lastAck - started} ms; display totals `
      + `${JSON.stringify(bars)} ${ok ? '=' : '!='} acknowledged ${JSON.stringify(expected)}; ack -> display `
      + `p50 ${pct(latencies, 50)} ms, p95 ${pct(latencies, 95)} ms, max ${Math.max(...latencies)} ms; last ack -> `
      + `display ${lastAckLatency} ms; generator CPU ${Math.round((generatorCpu.user + generatorCpu.system) / 1000)} ms`);
    if (!ok) {
      process.exitCode = 1;
    }
    await presenter.publish(SESSION, 'question.closed', { questionId });
  }
  console.log(`all rounds: ack -> display p50 ${pct(allLatencies, 50)} ms, p95 ${pct(allLatencies, 95)} ms; `
    + `last ack -> display ${lastAckLatencies.join(', ')} ms`);
} finally {
  clients.forEach((c) => c.close());
  await browser.close();
  await node.close();
}

function client(sub, actorType, sessions) {
  const c = createClient({ url: node.url, WebSocket, transports: ['websocket'], watchBrowser: false,
    token: async () => {
      const response = await fetch(`${node.url}/dev/token`, { method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sub, name: sub, actorType, sessions, publish: sessions }) });
      return (await response.json()).token;
    } });
  clients.push(c);
  return c;
}

function pct(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(50);
  }
}
