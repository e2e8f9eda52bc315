// 200 editors on one Yjs document, typing 2 updates a second each, against Switchboard (the Yjs provider's wire
// format), y-websocket's own server (@y/websocket-server) and Hocuspocus (@hocuspocus/server), one after the other in
// one run on loopback. Measures, per system: a keystroke's time from its send to its arrival at the observing
// editors (p50/p99), bytes on the wire per update (sent, and received by an editor), the server's CPU time, and the
// time a fresh client takes to load the document (for Switchboard without and with a snapshot).
//
//   cd bench/yjs && npm ci && node yjs-bench.mjs [--editors 200] [--rate 2] [--seconds 60] [--observers 5]
//     [--systems switchboard,y-websocket,hocuspocus] [--out results.json]
// Needs the server jar (mvn -B -q install -DskipTests at the root). With taskset, servers run on core 0 and this
// generator on core 1.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createClient } from '@switchboard/client';
import { SwitchboardProvider } from '@switchboard/yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { Meter, protocols } from './editors.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const { values: args } = parseArgs({ options: {
  editors: { type: 'string', default: '200' },
  rate: { type: 'string', default: '2' },
  seconds: { type: 'string', default: '60' },
  observers: { type: 'string', default: '5' },
  systems: { type: 'string', default: 'switchboard,y-websocket,hocuspocus' },
  jar: { type: 'string', default: resolve(HERE, '../../server/target/switchboard.jar') },
  out: { type: 'string', default: '' },
} });
const EDITORS = Number(args.editors);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const OBSERVERS = Math.min(EDITORS, Number(args.observers));
const SECRET = 'bench-secret-0123456789abcdef-0123456789abcdef';
const hasTaskset = process.env.BENCH_NO_PIN !== '1' && spawnSync('taskset', ['-V']).status === 0;

const pause = (ms) => new Promise((done) => setTimeout(done, ms));

function freePort() {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function pinned(core, command, argv) {
  return hasTaskset ? ['taskset', ['-c', String(core), command, ...argv]] : [command, argv];
}

/** Starts one system's server on core 0; resolves with `{port, pid, stop}` once it answers. */
async function startServer(system) {
  const port = await freePort();
  let child;
  if (system === 'switchboard') {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-yjs-bench-'));
    child = spawn(...pinned(0, 'java', ['-jar', args.jar]), { env: { ...process.env, SB_HTTP_PORT: String(port),
      SB_HTTP_HOST: '127.0.0.1', SB_DATA_DIR: dataDir, SB_JWT_SECRET: SECRET, SB_DEV_TOKENS: 'true',
      // Each editor publishes 2 a second: past the default budget of 100 a minute (README: raising the limits).
      SB_PUBLISH_RATE: '600', SB_PUBLISH_BURST: '60' }, stdio: 'ignore' });
  } else if (system === 'y-websocket') {
    child = spawn(...pinned(0, 'node', [resolve(HERE, 'node_modules/@y/websocket-server/src/server.js')]),
      { env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) }, stdio: 'ignore' });
  } else {
    child = spawn(...pinned(0, 'node', [resolve(HERE, 'hocuspocus-server.mjs')]),
      { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  }
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await new Promise((done) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/${system === 'switchboard' ? 'events' : 'probe'}`);
      ws.on('open', () => { ws.terminate(); done(true); });
      ws.on('unexpected-response', () => done(true)); // answering HTTP: up (Switchboard wants a token)
      ws.on('error', () => done(false));
    });
    if (up) {
      break;
    }
    if (Date.now() > deadline) {
      throw new Error(`${system} did not start`);
    }
    await pause(200);
  }
  // The server process itself (taskset execs it, so the pid is the server's).
  return { port, pid: child.pid, stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }) };
}

/** CPU seconds (user + system) the process has used, from /proc. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function devToken(port, sub) {
  const response = await fetch(`http://127.0.0.1:${port}/dev/token`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sub, sessions: ['*'], publish: ['*'] }) });
  return (await response.json()).token;
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

/** A fresh client's load time of the document, in ms, and its text length. */
async function freshLoad(system, port, docName) {
  const doc = new Y.Doc();
  const started = performance.now();
  let provider;
  await new Promise((done, fail) => {
    setTimeout(() => fail(new Error(`${system}: a fresh client did not load within 300 s`)), 300_000).unref();
    if (system === 'switchboard') {
      provider = new SwitchboardProvider({ url: `http://127.0.0.1:${port}`, token: () => devToken(port, 'reader'),
        sessionId: `doc:${docName}`, doc, WebSocket, snapshotIdleMs: 0 });
      provider.on('synced', (synced) => synced && done());
    } else if (system === 'y-websocket') {
      provider = new WebsocketProvider(`ws://127.0.0.1:${port}`, docName, doc, { WebSocketPolyfill: WebSocket });
      provider.on('sync', (synced) => synced && done());
    } else {
      provider = new HocuspocusProvider({ url: `ws://127.0.0.1:${port}`, name: docName, document: doc,
        WebSocketPolyfill: WebSocket, token: 'token', onSynced: () => done() });
    }
  });
  const ms = performance.now() - started;
  return { ms, length: doc.getText('t').length, provider, doc };
}

async function run(system) {
  const server = await startServer(system);
  const docName = 'bench';
  const token = (sub) => devToken(server.port, sub);
  const connect = protocols[system]({ port: server.port, docName, token });
  const sent = new Map(); // "clientID:clock" -> send time
  const latencies = [];
  const meters = [];
  const editors = [];
  for (let i = 0; i < EDITORS; i++) {
    const meter = new Meter();
    const observer = i < OBSERVERS;
    const doc = new Y.Doc();
    const observe = observer ? (update) => {
      const now = performance.now();
      for (const struct of Y.decodeUpdate(update).structs) {
        const at = sent.get(`${struct.id.client}:${struct.id.clock}`);
        if (struct.id.client !== doc.clientID && at !== undefined) {
          meter.receivedUpdates++;
          latencies.push(now - at);
        }
      }
    } : null;
    const link = await connect(i, meter, observe);
    doc.on('update', (update) => link.send(update));
    meters.push({ meter, observer });
    editors.push({ doc, link });
  }
  console.error(`# ${system}: ${EDITORS} editors connected`);
  await pause(1000);

  const cpuBefore = cpuSeconds(server.pid);
  const startedAt = performance.now();
  const timers = editors.map(({ doc }) => {
    const text = doc.getText('t');
    const tick = () => {
      // Typing on at the end of what this editor typed, as a person does (each keystroke's left neighbour is the
      // previous one); 200 editors all inserting at position 0 would make every insert conflict with every other.
      sent.set(`${doc.clientID}:${text.length}`, performance.now());
      text.insert(text.length, 'x');
    };
    // Each editor at RATE a second, starting at a random moment of the first interval.
    return setTimeout(() => {
      tick();
      timers.push(setInterval(tick, 1000 / RATE));
    }, Math.random() * 1000 / RATE);
  });
  await pause(SECONDS * 1000);
  timers.forEach((t) => { clearTimeout(t); clearInterval(t); });
  const typedFor = (performance.now() - startedAt) / 1000;
  await pause(3000); // what is still on its way arrives
  const cpu = cpuSeconds(server.pid) - cpuBefore;

  const updates = meters.reduce((sum, { meter }) => sum + meter.sentUpdates, 0);
  const sentBytes = meters.reduce((sum, { meter }) => sum + meter.sentBytes, 0);
  const observed = meters.filter((m) => m.observer);
  const expectedPerObserver = observed.map((_, i) => updates - meters[i].meter.sentUpdates);
  const receivedPerObserver = observed.map(({ meter }) => meter.receivedUpdates);
  const receivedBytesPerUpdate = observed.reduce((s, { meter }) => s + meter.receivedBytes, 0)
    / Math.max(1, receivedPerObserver.reduce((a, b) => a + b, 0));
  latencies.sort((a, b) => a - b);

  console.error(`# ${system}: typing done`);
  const result = {
    system, editors: EDITORS, rate: RATE, seconds: Number(typedFor.toFixed(1)), updates,
    delivered: `${receivedPerObserver.reduce((a, b) => a + b, 0)}/${expectedPerObserver.reduce((a, b) => a + b, 0)}`,
    p50Ms: Number(percentile(latencies, 0.5).toFixed(1)), p99Ms: Number(percentile(latencies, 0.99).toFixed(1)),
    sentBytesPerUpdate: Number((sentBytes / updates).toFixed(1)),
    receivedBytesPerUpdate: Number(receivedBytesPerUpdate.toFixed(1)),
    serverCpuSeconds: Number(cpu.toFixed(1)),
  };
  console.error(JSON.stringify(result));
  // The editors stay connected: Hocuspocus without a persistence extension drops a document its last editor leaves.
  let fresh;
  try {
    fresh = await freshLoad(system, server.port, docName);
  } catch (error) {
    result.freshLoadError = error.message;
    editors.forEach(({ link }) => link.close());
    await server.stop();
    return result;
  }
  result.freshLoadMs = Number(fresh.ms.toFixed(0));
  result.freshLoadLength = fresh.length;
  if (system === 'switchboard') {
    result.freshLoadEvents = fresh.provider.loaded.events;
    await fresh.provider.compact();
    const compacted = await freshLoad(system, server.port, docName);
    result.compactedLoadMs = Number(compacted.ms.toFixed(0));
    result.compactedLoadEvents = compacted.provider.loaded.events;
    result.compactedLoadLength = compacted.length;
    compacted.provider.destroy();
  }
  fresh.provider.destroy();
  editors.forEach(({ link }) => link.close());
  await server.stop();
  return result;
}

const results = [];
for (const system of args.systems.split(',')) {
  console.error(`# ${system}: ${EDITORS} editors x ${RATE}/s for ${SECONDS} s`);
  const result = await run(system);
  console.error(JSON.stringify(result));
  results.push(result);
}
const run_ = { date: new Date().toISOString(), node: process.version, taskset: hasTaskset, results };
if (args.out) {
  writeFileSync(args.out, JSON.stringify(run_, null, 2));
}
console.log(JSON.stringify(run_, null, 2));
process.exit(0);
