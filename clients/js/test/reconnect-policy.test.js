import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SwitchboardError } from '../src/errors.js';
import { ReconnectPolicy } from '../src/reconnect-policy.js';
import { TransportLadder } from '../src/transport-ladder.js';

/** A policy on a fake clock with jitter pinned at half of each ceiling (base 100 ms, cap 1000 ms). */
function setup({ transports = ['websocket', 'sse', 'poll'] } = {}) {
  const clock = { now: 1_000_000 };
  const ladder = new TransportLadder(transports, { fallbackAfter: 2, fallbackAfterWorked: 6 });
  const policy = new ReconnectPolicy({
    backoff: { baseMs: 100, maxMs: 1_000 }, random: () => 0.5, now: () => clock.now, ladder,
  });
  return { clock, ladder, policy };
}

const refreshable = { canRefreshToken: true };
const error = (code, details) => new SwitchboardError(code, code, details);

test('forbidden stops; unauthorized stops only when no new token can be had', () => {
  const { policy } = setup();
  assert.deepEqual(policy.afterClose({ wasOpen: true, error: error('forbidden') }, refreshable), { stop: 'forbidden' });
  assert.match(policy.afterClose({ wasOpen: true, error: error('unauthorized') }, { canRefreshToken: false }).stop,
    /^unauthorized: set a new token/);
});

test('an unauthorized close comes back at once the first time, then backs off until a connection opens', () => {
  const { policy } = setup();
  const unauthorized = { wasOpen: true, error: error('unauthorized') };
  assert.deepEqual(policy.afterClose(unauthorized, refreshable), { retryInMs: 0, transport: 'websocket' });
  assert.equal(policy.afterClose(unauthorized, refreshable).retryInMs, 50);
  assert.equal(policy.afterClose(unauthorized, refreshable).retryInMs, 100);
  policy.opened();
  assert.equal(policy.afterClose(unauthorized, refreshable).retryInMs, 0);
});

test('drops back off exponentially; a connection that stayed up 5 s starts the backoff again', () => {
  const { clock, policy } = setup();
  const drop = { wasOpen: true, error: null };
  policy.opened();
  assert.deepEqual([1, 2, 3, 4, 5].map(() => policy.afterClose(drop, refreshable).retryInMs), [50, 100, 200, 400, 500]);
  policy.opened();
  clock.now += 4_999;
  assert.equal(policy.afterClose(drop, refreshable).retryInMs, 500, 'up 4.999 s: not proven');
  policy.opened();
  clock.now += 5_000;
  assert.equal(policy.afterClose(drop, refreshable).retryInMs, 50, 'up 5 s: proven');
});

test('rate limited waits at least Retry-After, or 1 s without one; other errors honour Retry-After too', () => {
  const { policy } = setup();
  const close = (e) => policy.afterClose({ wasOpen: true, error: e }, refreshable).retryInMs;
  assert.equal(close(error('rate_limited')), 1_000);
  assert.equal(close(error('rate_limited', { retryAfterMs: 3_000 })), 3_000);
  assert.equal(close(error('unavailable', { retryAfterMs: 2_000 })), 2_000);
});

test('failed attempts step down the ladder at once, with the backoff started again', () => {
  const { ladder, policy } = setup();
  const refused = { wasOpen: false, error: null };
  assert.deepEqual(policy.afterClose(refused, refreshable), { retryInMs: 50, transport: 'websocket' });
  assert.deepEqual(policy.afterClose(refused, refreshable), { retryInMs: 0, transport: 'sse', reason: 'fallback' });
  assert.equal(ladder.current, 'sse');
  assert.deepEqual(policy.afterClose(refused, refreshable), { retryInMs: 50, transport: 'sse' });
  assert.equal(policy.afterTokenFailure(), 100, 'a failed token fetch backs off like any failure');
});

test('an operator disconnect (4010) stops; a paced node (1013) is retried after the wait it names', () => {
  const { policy } = setup();
  assert.deepEqual(policy.afterClose({ wasOpen: true, error: error('terminated') }, refreshable),
    { stop: 'terminated' });
  const paced = { wasOpen: true, error: error('unavailable', { retryAfterMs: 2_500 }) };
  assert.equal(policy.afterClose(paced, refreshable).retryInMs, 2_500);
});

test('after a healthy connection drops, retries stay under the recovery ceiling for the recovery window', () => {
  const clock = { now: 1_000_000 };
  const ladder = new TransportLadder(['websocket'], { fallbackAfter: 2, fallbackAfterWorked: 6 });
  const policy = new ReconnectPolicy({
    backoff: { baseMs: 500, maxMs: 30_000, recoveryMaxMs: 2_000, recoveryWindowMs: 60_000 },
    random: () => 0.999, now: () => clock.now, ladder,
  });
  policy.opened();
  clock.now += 10_000;
  const waits = [policy.afterClose({ wasOpen: true, error: null }, refreshable).retryInMs];
  const refused = { wasOpen: false, error: null };
  for (let i = 0; i < 8; i++) {
    clock.now += 1_000;
    waits.push(policy.afterClose(refused, refreshable).retryInMs);
  }
  assert.deepEqual(waits, [499, 999, 1_998, 1_998, 1_998, 1_998, 1_998, 1_998, 1_998],
    'the node is most likely restarting: back within 2 s of it');
  clock.now += 60_000;
  assert.equal(policy.afterClose(refused, refreshable).retryInMs, 29_970, 'past the window the delays grow again');
});

test('a connection that opens and fails fast ends the recovery: repeated fast failures grow the delays', () => {
  const clock = { now: 1_000_000 };
  const ladder = new TransportLadder(['websocket'], { fallbackAfter: 2, fallbackAfterWorked: 6 });
  const policy = new ReconnectPolicy({ backoff: {}, random: () => 0.999, now: () => clock.now, ladder });
  policy.opened();
  clock.now += 10_000;
  policy.afterClose({ wasOpen: true, error: null }, refreshable);
  const flaps = [];
  for (let i = 0; i < 5; i++) {
    policy.opened();
    clock.now += 100;
    flaps.push(policy.afterClose({ wasOpen: true, error: null }, refreshable).retryInMs);
  }
  assert.deepEqual(flaps, [999, 1_998, 3_996, 7_992, 15_984]);
});

test('a paced node (1013) is obeyed while recovering too', () => {
  const clock = { now: 1_000_000 };
  const ladder = new TransportLadder(['websocket'], { fallbackAfter: 2, fallbackAfterWorked: 6 });
  const policy = new ReconnectPolicy({ backoff: {}, random: () => 0.5, now: () => clock.now, ladder });
  policy.opened();
  clock.now += 10_000;
  const paced = { wasOpen: true, error: error('unavailable', { retryAfterMs: 4_000 }) };
  assert.equal(policy.afterClose(paced, refreshable).retryInMs, 4_000);
});

test('the first drop of a connection that had just opened recovers quickly too (a restart right after a connect)', () => {
  const clock = { now: 1_000_000 };
  const ladder = new TransportLadder(['poll'], { fallbackAfter: 2, fallbackAfterWorked: 6 });
  const policy = new ReconnectPolicy({ backoff: {}, random: () => 0.999, now: () => clock.now, ladder });
  policy.opened();
  clock.now += 3_000;
  const waits = [policy.afterClose({ wasOpen: true, error: null }, refreshable).retryInMs];
  for (let i = 0; i < 6; i++) {
    clock.now += 1_000;
    waits.push(policy.afterClose({ wasOpen: false, error: null }, refreshable).retryInMs);
  }
  assert.ok(waits.every((ms) => ms < 2_000), `every wait under 2 s: ${waits}`);
});
