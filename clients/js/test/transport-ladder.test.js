import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransportLadder } from '../src/transport-ladder.js';
import { orderTransports } from '../src/transports/index.js';

const ladder = (names = ['websocket', 'sse', 'poll']) =>
  new TransportLadder(names, { fallbackAfter: 2, fallbackAfterWorked: 6 });

test('steps down after fallbackAfter failed attempts, and never below the last transport', () => {
  const l = ladder();
  assert.equal(l.current, 'websocket');
  assert.equal(l.failedToConnect(), false);
  assert.equal(l.failedToConnect(), true);
  assert.equal(l.current, 'sse');
  assert.equal(l.failedToConnect(), false, 'the count starts again on the new transport');
  assert.equal(l.failedToConnect(), true);
  assert.equal(l.current, 'poll');
  for (let i = 0; i < 10; i++) {
    assert.equal(l.failedToConnect(), false);
  }
  assert.equal(l.current, 'poll');
});

test('a transport that has worked gets fallbackAfterWorked attempts; an opened connection clears the count', () => {
  const l = ladder();
  l.opened();
  for (let i = 0; i < 5; i++) {
    assert.equal(l.failedToConnect(), false, `attempt ${i + 1}`);
  }
  l.opened();
  for (let i = 0; i < 5; i++) {
    assert.equal(l.failedToConnect(), false, `after reopening, attempt ${i + 1}`);
  }
  assert.equal(l.failedToConnect(), true);
  assert.equal(l.current, 'sse');
});

test('fallback means below WebSocket; returnToWebSocket and reset go back to the top', () => {
  const l = ladder();
  assert.equal(l.onFallback, false);
  l.failedToConnect();
  l.failedToConnect();
  assert.equal(l.onFallback, true);
  assert.equal(l.isFallback('poll'), true);
  assert.equal(l.isFallback('websocket'), false);
  assert.equal(l.isFallback(null), false);
  l.returnToWebSocket();
  assert.equal(l.current, 'websocket');
  l.failedToConnect();
  l.failedToConnect();
  l.reset();
  assert.equal(l.current, 'websocket');
  const withoutWebSocket = ladder(['sse', 'poll']);
  withoutWebSocket.failedToConnect();
  withoutWebSocket.failedToConnect();
  assert.equal(withoutWebSocket.current, 'poll');
  assert.equal(withoutWebSocket.onFallback, false, 'no WebSocket to fall back from');
});

test('transports are put in fallback order; unknown or none are refused', () => {
  assert.deepEqual(orderTransports(['poll', 'websocket']), ['websocket', 'poll']);
  assert.throws(() => orderTransports(['websocket', 'carrier-pigeon']), TypeError);
  assert.throws(() => orderTransports([]), TypeError);
  assert.throws(() => orderTransports('websocket'), TypeError);
});
