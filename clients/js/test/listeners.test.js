import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Listeners } from '../src/listeners.js';

test('on<Type> options and on() both register; the returned function removes a listener', () => {
  const listeners = new Listeners();
  const seen = [];
  listeners.addFromOptions({ onEvent: (e) => seen.push(`option ${e}`), onState: 'not a function' });
  const off = listeners.on('event', (e) => seen.push(`on ${e}`));
  listeners.emit('event', 1);
  off();
  listeners.emit('event', 2);
  listeners.emit('state', 3);
  assert.deepEqual(seen, ['option 1', 'on 1', 'option 2']);
  assert.throws(() => listeners.on('message', () => {}), TypeError);
});

test('a listener that throws is reported and does not keep the others from their value', () => {
  const listeners = new Listeners();
  const reported = [];
  const seen = [];
  const previous = Object.getOwnPropertyDescriptor(globalThis, 'reportError');
  globalThis.reportError = (error) => reported.push(error.message);
  try {
    listeners.on('error', () => {
      throw new Error('application bug');
    });
    listeners.on('error', (e) => seen.push(e));
    listeners.emit('error', 'boom');
  } finally {
    if (previous) {
      Object.defineProperty(globalThis, 'reportError', previous);
    } else {
      delete globalThis.reportError;
    }
  }
  assert.deepEqual(reported, ['application bug']);
  assert.deepEqual(seen, ['boom']);
});
