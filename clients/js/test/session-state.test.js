import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareEventIds } from '../src/event-ids.js';
import { SessionState } from '../src/session-state.js';
import { eventFrame } from './helpers/fake-server.js';

test('eventIds compare as numbers, past 2^53 too', () => {
  assert.equal(compareEventIds('9', '10'), -1);
  assert.equal(compareEventIds('10', '9'), 1);
  assert.equal(compareEventIds('42', '42'), 0);
  assert.equal(compareEventIds('9007199254740993', '9007199254740992'), 1);
  assert.equal(compareEventIds(7, '07'), 0);
});

test('a live subscription takes any first event, then only later ones (dedupe by eventId)', () => {
  const session = new SessionState('s');
  assert.equal(session.position, null);
  const delivered = ['5', '6', '6', '5', '7', '7'].filter((id) => session.accept(eventFrame('s', id)));
  assert.deepEqual(delivered, ['5', '6', '7']);
  assert.equal(session.position, '7');
});

test('a replay overlap after a reconnect is dropped: resume from 3, server repeats 2..3', () => {
  const session = new SessionState('s', '0');
  const first = ['1', '2', '3'].filter((id) => session.accept(eventFrame('s', id)));
  const second = ['2', '3', '4', '5'].filter((id) => session.accept(eventFrame('s', id)));
  assert.deepEqual([...first, ...second], ['1', '2', '3', '4', '5']);
});

test('the resume position: fromEventId, then each delivered event, then replayed heads', () => {
  const session = new SessionState('s', 10);
  assert.equal(session.position, '10');
  session.accept(eventFrame('s', 11));
  assert.equal(session.position, '11');
  session.replayed('11');
  assert.equal(session.position, '11');
  const live = new SessionState('t');
  live.replayed('40'); // a subscription without a position learns the head from `replayed`
  assert.equal(live.position, '40');
  assert.equal(live.accept(eventFrame('t', 40)), false);
  assert.equal(live.accept(eventFrame('t', 41)), true);
  live.replayed('3');
  assert.equal(live.position, '41', 'a replayed never moves the position back');
});

test('a reset moves the position where the server says, even backwards', () => {
  const session = new SessionState('s', '500');
  session.reset('20'); // unknown_event: the node lost its history; continue after its head
  assert.equal(session.position, '20');
  assert.equal(session.accept(eventFrame('s', 21)), true);
});

const user = (userId) => ({ userId, name: userId.toUpperCase(), actorType: null });
const diff = (joins, leaves, count) => ({ type: 'presence.diff', sessionId: 's', joins: joins.map(user),
  leaves: leaves.map(user), count });

test('presence: state replaces, a diff removes its leaves and adds its joins, and the count is the server\'s', () => {
  const session = new SessionState('s');
  session.setPresence([user('ada'), user('bob')]);
  assert.equal(session.count, 2);
  assert.equal(session.applyDiff(diff(['cy', 'dee'], ['bob'], 3)), false, 'nothing to read again');
  assert.deepEqual(session.users.map((u) => u.userId), ['ada', 'cy', 'dee']);
  assert.equal(session.count, 3);
  session.setPresence([user('ada')], 2500); // the first page of a big session
  session.applyDiff(diff(['zed'], [], 2501));
  assert.equal(session.count, 2501);
  assert.deepEqual(session.users.map((u) => u.userId), ['ada', 'zed']);
});

test('presence: a counts-only diff empties the list until one names users again, which asks for a fresh list', () => {
  const session = new SessionState('s');
  session.setPresence([user('ada'), user('bob')], 2);
  assert.equal(session.applyDiff({ type: 'presence.diff', sessionId: 's', joined: 1500, left: 0, count: 1502 }),
    false);
  assert.equal(session.listed, false);
  assert.deepEqual(session.users, []);
  assert.equal(session.count, 1502);
  assert.equal(session.applyDiff(diff([], ['cy'], 999)), true, 'the users present throughout are missing');
  assert.equal(session.listed, true);
  assert.equal(session.count, 999);
  assert.equal(session.applyDiff(diff(['cy'], [], 1000)), false);
});
