import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorFromFrame, errorFromResponse, SwitchboardError } from '../src/errors.js';
import { lostSessions } from '../src/transports/lost-sessions.js';

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

test('a 403 that refuses sessions names them; one that names none stops the client as before', async () => {
  const named = await errorFromResponse(new Response(JSON.stringify({ error: { code: 'forbidden',
    message: 'the token does not allow this session', retryable: false, sessionIds: ['b', 'c'] } }), { status: 403 }));
  assert.deepEqual(named.sessionIds, ['b', 'c']);
  assert.deepEqual(lostSessions(named, ['a', 'b', 'c']), ['b', 'c']);
  assert.deepEqual(lostSessions(named, ['a']), [], 'none of the request\'s sessions: not a loss to act on');
  const origin = await errorFromResponse(new Response(
    '{"error":{"code":"forbidden","message":"origin not allowed","retryable":false}}', { status: 403 }));
  assert.equal(origin.sessionIds, undefined);
  assert.deepEqual(lostSessions(origin, ['a']), []);
  assert.deepEqual(lostSessions(new SwitchboardError('unavailable', 'x', { sessionIds: ['a'] }), ['a']), []);
});
