import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Subscriptions } from '../src/subscriptions.js';

test('sessions are checked, kept in subscription order, and a repeated subscribe keeps its position', () => {
  const subscriptions = new Subscriptions();
  assert.equal(subscriptions.add('live').position, null);
  assert.equal(subscriptions.add('resumed', 41).position, '41');
  assert.equal(subscriptions.add('resumed', 7), null, 'already subscribed');
  assert.deepEqual(subscriptions.positions(), [{ sessionId: 'live', position: null },
    { sessionId: 'resumed', position: '41' }]);
  assert.equal(subscriptions.remove('live'), true);
  assert.equal(subscriptions.remove('live'), false);
  assert.deepEqual(subscriptions.ids, ['resumed']);
  for (const bad of ['', 'with space', 'x'.repeat(129), 42]) {
    assert.throws(() => subscriptions.add(bad), TypeError, String(bad));
  }
  for (const bad of [-1, 'abc', 1.5]) {
    assert.throws(() => subscriptions.add('s', bad), TypeError, String(bad));
  }
});
