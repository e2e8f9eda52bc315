import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyWindow } from '../src/history.js';

test('a page after a position asks the server for exactly that', () => {
  assert.deepEqual(historyWindow({}), { after: '0', limit: 100 });
  assert.deepEqual(historyWindow({ after: '41', limit: 10 }), { after: '41', limit: 10 });
});

test('a page before an eventId is the limit events just below it, found from gapless eventIds', () => {
  assert.deepEqual(historyWindow({ before: '51', limit: 20 }), { after: '30', limit: 20 }); // 31..50
  assert.deepEqual(historyWindow({ before: 12, limit: 20 }), { after: '0', limit: 11 }); // 1..11
  assert.deepEqual(historyWindow({ before: '1', limit: 20 }), { after: '0', limit: 0 }); // nothing below 1
  assert.deepEqual(historyWindow({ before: '9007199254740995', limit: 3 }), { after: '9007199254740991', limit: 3 });
});

test('a limit outside 1-1000, or after and before together, is refused before any request', () => {
  assert.throws(() => historyWindow({ limit: 0 }), RangeError);
  assert.throws(() => historyWindow({ limit: 1001 }), RangeError);
  assert.throws(() => historyWindow({ after: '1', before: '5' }), TypeError);
});
