import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from '../src/backoff.js';

test('the ceiling starts at 0.5 s, doubles, and stops at 30 s', () => {
  const ceilings = Array.from({ length: 9 }, (_, attempt) => backoffCeiling(attempt));
  assert.deepEqual(ceilings, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(backoffCeiling(10_000), DEFAULT_BACKOFF.maxMs, 'no overflow however long it fails');
});

test('full jitter: every delay is in [0, ceiling)', () => {
  for (let attempt = 0; attempt < 12; attempt++) {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(attempt);
      assert.ok(delay >= 0 && delay < backoffCeiling(attempt), `attempt ${attempt}: ${delay}`);
    }
  }
});

test('the extremes of the random source map to 0 and just under the ceiling', () => {
  assert.equal(backoffDelay(3, { random: () => 0 }), 0);
  assert.equal(backoffDelay(3, { random: () => 0.999999 }), 3999);
  assert.equal(backoffDelay(0, { random: () => 0.5 }), 250);
});

test('delays are spread out rather than clustered (jitter is real)', () => {
  const delays = Array.from({ length: 500 }, () => backoffDelay(6));
  const low = delays.filter((d) => d < 15_000).length;
  assert.ok(low > 150 && low < 350, `about half below the middle: ${low}/500`);
});

test('Backoff counts attempts and reset() starts over', () => {
  const backoff = new Backoff({ random: () => 0.5 });
  assert.deepEqual([backoff.next(), backoff.next(), backoff.next()], [250, 500, 1000]);
  assert.equal(backoff.attempt, 3);
  backoff.reset();
  assert.equal(backoff.next(), 250);
});

test('base and cap are configurable', () => {
  const backoff = new Backoff({ baseMs: 10, maxMs: 35, random: () => 0.999 });
  assert.deepEqual([1, 2, 3, 4].map(() => backoff.next()), [9, 19, 34, 34]);
});
