import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UpgradeProbe } from '../src/upgrade-probe.js';
import { FakeClock, settle } from './helpers/fake-clock.js';

/** A probe on fake time whose attempts the test answers one by one (`answer(true|false)`). */
function setup({ random = () => 0.5 } = {}) {
  const clock = new FakeClock();
  const state = { wanted: true, attempts: [], upgrades: 0 };
  const probe = new UpgradeProbe({
    timers: clock.timers,
    random,
    intervalMs: 1_000,
    wanted: () => state.wanted,
    probe: () => new Promise((resolve) => state.attempts.push(resolve)),
    onSuccess: () => state.upgrades++,
  });
  const answer = async (works) => {
    state.attempts.at(-1)(works);
    await settle();
  };
  return { clock, state, probe, answer };
}

test('probes are jittered between half and all of the interval', () => {
  for (const [random, delay] of [[0, 500], [0.5, 750], [0.999, 999.5]]) {
    const { clock, probe } = setup({ random: () => random });
    probe.schedule();
    assert.deepEqual(clock.pending, [delay]);
  }
});

test('one probe at a time: scheduling again while one is planned or running changes nothing', async () => {
  const { clock, state, probe } = setup();
  probe.schedule();
  probe.schedule();
  assert.equal(clock.pending.length, 1);
  await clock.advance(750);
  assert.equal(state.attempts.length, 1);
  probe.schedule();
  assert.deepEqual(clock.pending, [], 'none planned while the probe runs');
});

test('a failed probe plans the next; one that gets through asks to switch back', async () => {
  const { clock, state, probe, answer } = setup();
  probe.schedule();
  await clock.advance(750);
  await answer(false);
  assert.deepEqual(clock.pending, [750]);
  assert.equal(state.upgrades, 0);
  await clock.advance(750);
  await answer(true);
  assert.equal(state.upgrades, 1);
  assert.deepEqual(clock.pending, []);
});

test('nothing is planned when probing makes no sense, and a probe cancelled in flight changes nothing', async () => {
  const { clock, state, probe, answer } = setup();
  state.wanted = false;
  probe.schedule();
  assert.deepEqual(clock.pending, []);
  state.wanted = true;
  probe.schedule();
  await clock.advance(750);
  probe.cancel();
  await answer(true);
  assert.equal(state.upgrades, 0);
  assert.deepEqual(clock.pending, []);
  probe.schedule();
  assert.deepEqual(clock.pending, [750], 'free to plan again after a cancel');
});
