import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refreshDelay, TokenSource, tokenExpiry } from '../src/token.js';
import { fakeJwt, waitFor } from './helpers/fake-server.js';

test('tokenExpiry reads exp from a JWT (base64url, UTF-8 claims) and null from anything else', () => {
  assert.equal(tokenExpiry(fakeJwt({ sub: 'ada', name: 'Ådá ✓', exp: 1_900_000_000 })), 1_900_000_000_000);
  assert.equal(tokenExpiry(fakeJwt({ sub: 'ada' })), null);
  for (const bad of ['', 'abc', 'a.b.c', 'a.!!!.c', null, 42]) {
    assert.equal(tokenExpiry(bad), null, String(bad));
  }
});

test('refresh a minute before exp, but never more than a quarter of the lifetime early', () => {
  const now = 1_000_000;
  assert.equal(refreshDelay(now + 3_600_000, now), 3_540_000, '1 h token: at 59 min');
  assert.equal(refreshDelay(now + 60_000, now), 45_000, '60 s token: at 45 s');
  assert.equal(refreshDelay(now + 2_000, now), 1_500, '2 s token: at 1.5 s');
  assert.equal(refreshDelay(now - 5, now), 0, 'already expired: now');
  assert.equal(refreshDelay(now + 600_000, now, 120_000), 480_000, 'margin configurable');
});

test('a token callback is asked once for concurrent callers, and again after invalidate()', async () => {
  let calls = 0;
  let answer;
  const answered = new Promise((resolve) => { answer = resolve; });
  const source = new TokenSource(async ({ reason }) => {
    calls++;
    await answered; // still in flight when the second caller asks
    return fakeJwt({ sub: 'ada', n: calls, reason, exp: Math.floor(Date.now() / 1000) + 3600 });
  });
  const both = Promise.all([source.get(), source.get()]);
  answer();
  const [a, b] = await both;
  assert.equal(a, b);
  assert.equal(calls, 1);
  assert.equal(await source.get(), a, 'cached while valid');
  source.invalidate();
  assert.notEqual(await source.get(), a);
  assert.equal(calls, 2);
});

test('a token callback that throws at once fails that call only: the next one asks again', async () => {
  let calls = 0;
  const source = new TokenSource(() => {
    calls++;
    if (calls === 1) {
      throw new Error('the login service is down');
    }
    return fakeJwt({ sub: 'ada', exp: Math.floor(Date.now() / 1000) + 3600 });
  });
  await assert.rejects(source.get(), /the login service is down/);
  assert.ok(await source.get(), 'a new call, not the cached failure');
  assert.equal(calls, 2);
});

test('an expired cached token is replaced on get()', async () => {
  let now = 1_000_000;
  const source = new TokenSource(() => fakeJwt({ sub: 'ada', exp: now / 1000 + 10 }), { now: () => now });
  const first = await source.get();
  now += 20_000;
  assert.notEqual(await source.get(), first);
});

test('the refresh is scheduled ahead of exp and hands the new token over', async () => {
  const scheduled = [];
  const timers = { setTimeout: (fn, ms) => scheduled.push({ fn, ms }) && scheduled.length, clearTimeout: () => {} };
  const now = 5_000_000;
  const refreshed = [];
  let n = 0;
  const source = new TokenSource(() => fakeJwt({ sub: 'ada', n: ++n, exp: now / 1000 + 600 }), {
    now: () => now, timers, onRefreshed: (t) => refreshed.push(t),
  });
  source.start();
  await source.get();
  assert.equal(scheduled.at(-1).ms, 540_000, '10 min token: refreshed at 9 min');
  assert.equal(source.refreshAt, now + 540_000);
  scheduled.at(-1).fn();
  await waitFor(() => refreshed.length === 1);
  assert.equal(refreshed[0], source.current);
  assert.equal(n, 2);
  source.stop();
  assert.equal(source.refreshAt, null);
});

test('a failed refresh is retried while the old token still holds', async () => {
  const scheduled = [];
  const timers = { setTimeout: (fn, ms) => scheduled.push({ fn, ms }) && scheduled.length, clearTimeout: () => {} };
  const now = 5_000_000;
  let fail = false;
  const errors = [];
  const source = new TokenSource(() => {
    if (fail) {
      throw new Error('auth server down');
    }
    return fakeJwt({ sub: 'ada', exp: now / 1000 + 60 });
  }, { now: () => now, timers, onError: (e) => errors.push(e) });
  source.start();
  await source.get();
  fail = true;
  scheduled.at(-1).fn();
  await waitFor(() => errors.length === 1);
  assert.equal(scheduled.at(-1).ms, 5_000, 'tries again in 5 s');
});

test('a fixed token is used as given and never refreshed; without any token get() says unauthorized', async () => {
  const fixed = new TokenSource(fakeJwt({ sub: 'ada', exp: 1 }));
  fixed.start();
  assert.equal(fixed.canRefresh, false);
  assert.equal(fixed.refreshAt, null);
  assert.ok(await fixed.get());
  await assert.rejects(new TokenSource(undefined).get(), { code: 'unauthorized' });
  await assert.rejects(new TokenSource(() => '').get(), { code: 'unauthorized' });
});
