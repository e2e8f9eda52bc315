import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorFromFrame, errorFromResponse, SwitchboardError } from '../src/errors.js';

test('the server says whether an error may be retried; the client decides only when it did not say', async () => {
  assert.equal(errorFromFrame({ type: 'error', code: 'unavailable', message: 'm', retryable: false }, 'x').retryable,
    false);
  assert.equal(errorFromFrame({ type: 'error', code: 'bad_request', message: 'm', retryable: true }, 'x').retryable,
    true);
  assert.equal(errorFromFrame({ type: 'error', code: 'internal', message: 'm' }, 'x').retryable, true,
    'an older server that sent no retryable');
  assert.equal(new SwitchboardError('network', 'down').retryable, true);
  assert.equal(new SwitchboardError('terminated', 'bye').retryable, false);
  const answer = new Response('{"error":{"code":"rate_limited","message":"slow down","retryable":true}}',
    { status: 429, headers: { 'Retry-After': '3' } });
  const refused = await errorFromResponse(answer);
  assert.equal(refused.retryable, true);
  assert.equal(refused.retryAfterMs, 3_000);
  const forbidden = await errorFromResponse(new Response(
    '{"error":{"code":"forbidden","message":"no","retryable":false}}', { status: 403 }));
  assert.equal(forbidden.retryable, false);
});
